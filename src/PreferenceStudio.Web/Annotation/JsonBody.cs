using System.Text.Json;

namespace PreferenceStudio.Web.Annotating;

/// <summary>
/// Reads a JSON body and, when it cannot, says where: "$.span.spans[0].start: ..." instead of a bare 400.
/// </summary>
public static class JsonBody
{
    // Strings PostgreSQL cannot store (a NUL, half a surrogate pair) fail here with their path, not at the database.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new Security.StorableTextConverter() } };

    public static async Task<(T? Value, string? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, "The body must be JSON (Content-Type: application/json).");
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, ct);
            return value is null ? (null, "The body is empty; send a JSON object.") : (value, null);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? "the body" : ex.Path;
            return (null, $"{where}: not valid here ({FirstSentence(ex.Message)}).");
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}
