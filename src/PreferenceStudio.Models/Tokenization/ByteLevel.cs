namespace PreferenceStudio.Models.Tokenization;

/// <summary>
/// GPT-2's reversible map from bytes to printable characters, so BPE works on text without control characters
/// or spaces: printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards (space is 'Ġ').
/// </summary>
public static class ByteLevel
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte =
        ByteToChar.Select((c, b) => (c, b)).ToDictionary(x => x.c, x => (byte)x.b);

    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    /// <summary>Back to bytes; characters outside the map (not produced by Encode) are skipped.</summary>
    public static IEnumerable<byte> Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
            if (CharToByte.TryGetValue(c, out var b)) yield return b;
    }

    public static char CharFor(byte b) => ByteToChar[b];

    /// <summary>
    /// For each byte of <paramref name="text"/>'s UTF-8 encoding, the UTF-16 range [CharStart, CharEnd) of the
    /// character it encodes: a surrogate pair's four bytes all map to its two code units; a lone surrogate, which
    /// UTF-8 encodes as U+FFFD's three bytes, to its one.
    /// </summary>
    public static (int[] CharStart, int[] CharEnd) CharRangesOfBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        var at = 0;
        while (at < text.Length)
        {
            System.Text.Rune.DecodeFromUtf16(text.AsSpan(at), out var rune, out var consumed);
            for (var b = 0; b < rune.Utf8SequenceLength; b++)
            {
                starts.Add(at);
                ends.Add(at + consumed);
            }
            at += consumed;
        }
        return ([.. starts], [.. ends]);
    }
}
