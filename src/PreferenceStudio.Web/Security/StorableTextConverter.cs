using System.Text.Json;
using System.Text.Json.Serialization;

namespace PreferenceStudio.Web.Security;

/// <summary>
/// Reads JSON strings that PostgreSQL can store: a NUL character (U+0000) or an escape of half a surrogate pair
/// ("\ud800") is a <see cref="JsonException"/>, which the serializer tags with the field's path, so the caller answers
/// 400 naming the field instead of failing with a 500 at the database.
/// </summary>
public sealed class StorableTextConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        string? text;
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // Thrown for "\ud800" without its partner, and for a number or object where text belongs.
            throw new JsonException(reader.TokenType == JsonTokenType.String
                ? "holds half of a UTF-16 surrogate pair (an escape such as \\ud800 without its partner), which is not text"
                : $"expected text, got {reader.TokenType}");
        }
        if (text is not null && text.Contains('\0', StringComparison.Ordinal))
            throw new JsonException("contains a NUL character (\\u0000), which cannot be stored");
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
