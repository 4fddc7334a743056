using System.Text.Encodings.Web;
using System.Text.Json;

namespace PreferenceStudio.Web.Training;

public static class ConfigText
{
    private static readonly JsonSerializerOptions Readable = new()
    {
        WriteIndented = true,
        // Escaping is Razor's job here (the text is HTML-encoded where it is written), so the JSON keeps its characters.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>PostgreSQL's jsonb stores a config compact, with its keys reordered: indented again for reading.</summary>
    public static string Indented(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Readable);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
