using System.Text.Encodings.Web;
using System.Text.Json;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Jobs.Export;

/// <summary>Writes JSON Lines, one object a row, with the chat-message shape TRL and the HF datasets use.</summary>
public sealed class DatasetWriter(Stream stream) : IAsyncDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Utf8JsonWriter _json = new(stream, Options);

    public int Rows { get; private set; }

    public async Task WriteRowAsync(Action<Utf8JsonWriter> writeProperties, CancellationToken cancellationToken)
    {
        _json.WriteStartObject();
        writeProperties(_json);
        _json.WriteEndObject();
        await _json.FlushAsync(cancellationToken);
        _json.Reset();
        await stream.WriteAsync(NewLine, cancellationToken);
        Rows++;
    }

    public static void WriteMessages(Utf8JsonWriter json, string name, IEnumerable<ChatTurn> turns)
    {
        json.WriteStartArray(name);
        foreach (var turn in turns)
        {
            json.WriteStartObject();
            json.WriteString("role", turn.Role);
            json.WriteString("content", turn.Content);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    public static void WriteAssistant(Utf8JsonWriter json, string name, string text) =>
        WriteMessages(json, name, [new ChatTurn("assistant", text)]);

    public async ValueTask DisposeAsync() => await _json.DisposeAsync();
}
