using System.Globalization;
using System.Text;

namespace PreferenceStudio.Models.Tokenization;

/// <summary>
/// Text as the tokenizer splits it (NFC-normalized, perhaps with a prefix space), with, for each of its UTF-16
/// characters, the range of the original text it came from. Null ranges: the text is the original, one to one.
/// </summary>
internal sealed record NormalizedText(string Text, (int Start, int End)[]? Ranges)
{
    /// <summary>
    /// NFC one text element (grapheme cluster) at a time, because composition stays inside a cluster: a cluster NFC
    /// leaves alone maps character to character, one it changes maps each of its new characters to the whole
    /// cluster. Should a text ever compose across clusters, that is refused rather than mapped wrong.
    /// </summary>
    public static NormalizedText Of(string original, bool nfc)
    {
        if (!nfc || original.IsNormalized(NormalizationForm.FormC))
            return new NormalizedText(original, null);
        var text = new StringBuilder(original.Length);
        var ranges = new List<(int, int)>(original.Length);
        var elements = StringInfo.GetTextElementEnumerator(original);
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            var at = elements.ElementIndex;
            var composed = element.Normalize(NormalizationForm.FormC);
            for (var i = 0; i < composed.Length; i++)
                ranges.Add(composed == element ? (at + i, at + i + 1) : (at, at + element.Length));
            text.Append(composed);
        }
        var result = text.ToString();
        if (result != original.Normalize(NormalizationForm.FormC))
            throw new NotSupportedException("NFC composes this text across grapheme clusters; token offsets cannot be mapped back to it");
        return new NormalizedText(result, [.. ranges]);
    }

    /// <summary>The text with a space in front that covers no original character (its range is empty, at 0).</summary>
    public NormalizedText WithPrefixSpace() =>
        new(" " + Text, [(0, 0), .. Ranges ?? Enumerable.Range(0, Text.Length).Select(i => (i, i + 1))]);

    /// <summary>The original range of character <paramref name="index"/> of <see cref="Text"/>.</summary>
    public (int Start, int End) Original(int index) => Ranges is null ? (index, index + 1) : Ranges[index];
}
