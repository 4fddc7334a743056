using System.Text.Json;
using System.Text.Json.Serialization;
using PreferenceStudio.Core;

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
                ? StorableText.LoneSurrogate
                : $"expected text, got {reader.TokenType}");
        }
        if (StorableText.Problem(text) is { } problem)
            throw new JsonException(problem);
        return text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
