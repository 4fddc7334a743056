using System.Text.Encodings.Web;
using System.Text.Json;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;

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

    /// <summary>
    /// Writes a project's labels in a format to a file that appears whole or not at all (written aside, then
    /// renamed); returns the row count.
    /// </summary>
    public static Task<int> WriteFileAsync(IDatasetFormat format, PreferenceStudioDbContext db, int projectId, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        return WriteFileAsync(file, writer => format.WriteAsync(db, projectId, writer, cancellationToken), cancellationToken);
    }

    /// <summary>Writes rows with <paramref name="write"/> to a file that appears whole or not at all; returns the row count.</summary>
    public static async Task<int> WriteFileAsync(string file, Func<DatasetWriter, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var partial = file + ".part";
        int rows;
        await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var writer = new DatasetWriter(stream))
        {
            await write(writer);
            rows = writer.Rows;
        }
        File.Move(partial, file, overwrite: true);
        return rows;
    }

    public async ValueTask DisposeAsync() => await _json.DisposeAsync();
}
