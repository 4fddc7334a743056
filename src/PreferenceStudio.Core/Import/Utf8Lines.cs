using System.Buffers;
using System.Text.Unicode;

namespace PreferenceStudio.Core.Import;

/// <summary>
/// Splits an uploaded file into lines and decodes each as strict UTF-8. A StreamReader would quietly turn a bad
/// byte into U+FFFD and store it; here the line is refused instead, with the position of the first bad byte.
/// </summary>
public static class Utf8Lines
{
    /// <param name="Text">The decoded line, without its line break; null when <paramref name="Error"/> is set.</param>
    /// <param name="Error">Why the line could not be read as UTF-8, with where.</param>
    public sealed record Line(int Number, string? Text, string? Error);

    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    public static IEnumerable<Line> Read(Stream file)
    {
        using var buffer = new MemoryStream();
        file.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var start = bytes.Span.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
        var number = 0;
        while (start < bytes.Length)
        {
            var rest = bytes[start..];
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            if (line.Span.EndsWith("\r"u8))
                line = line[..^1];
            yield return Decode(++number, line.Span, fileOffset: start);
            start += end < 0 ? rest.Length : end + 1;
        }
    }

    private static Line Decode(int number, ReadOnlySpan<byte> line, int fileOffset)
    {
        var chars = ArrayPool<char>.Shared.Rent(line.Length);
        try
        {
            var status = Utf8.ToUtf16(line, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done)
                return new Line(number, new string(chars, 0, written), null);
            // Positions count from 1, as editors show them.
            return new Line(number, null,
                $"byte {read + 1} of the line (byte {fileOffset + read + 1} of the file, 0x{line[read]:X2}) is not valid UTF-8; save the file as UTF-8.");
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
