using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Training.Spans;

/// <summary>
/// Turns a response text and its marked spans into per-token tags through the tokenizer's offsets.
/// <list type="bullet">
/// <item>A token belongs to a span when they share at least one character, so a span that starts or ends inside a
/// token tags the whole token (a token half wrong is wrong), and a character split between tokens (an emoji's bytes)
/// tags all of them.</item>
/// <item>Where spans of different categories overlap on a token, the more severe span wins; at equal severity, the
/// category listed first in the taxonomy. The order the spans were marked in never matters.</item>
/// </list>
/// </summary>
public sealed class SpanExampleBuilder
{
    private readonly BpeTokenizer tokenizer;
    private readonly Dictionary<string, int> categoryIndex;
    private readonly long? endToken;

    /// <param name="categories">The taxonomy in its order; category i is tag i + 1.</param>
    /// <param name="endToken">Appended to every response (e.g. &lt;|im_end|&gt;), tagged 0, as PPO's samples end with
    /// their stop token; null appends nothing.</param>
    public SpanExampleBuilder(BpeTokenizer tokenizer, IReadOnlyList<string> categories, long? endToken = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count == 0) throw new ArgumentException("a span taxonomy needs at least one category", nameof(categories));
        var duplicate = categories.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"category '{duplicate.Key}' is listed twice", nameof(categories));
        this.tokenizer = tokenizer;
        categoryIndex = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        this.endToken = endToken;
    }

    /// <summary>
    /// The example of one labelled response. <paramref name="name"/> says which one in errors (e.g. "label 12,
    /// response 40"): a span outside the response, an empty one, or one of a category not in the taxonomy is refused.
    /// </summary>
    public SpanExample Build(string name, string prompt, string response, IReadOnlyList<TextSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(spans);
        for (var i = 0; i < spans.Count; i++) Check(name, response, spans, i);
        var (ids, offsets) = tokenizer.EncodeWithOffsets(response);
        var tags = new int[ids.Length + (endToken is null ? 0 : 1)];
        for (var t = 0; t < ids.Length; t++)
        {
            TextSpan? winner = null;
            foreach (var span in spans)
                if (offsets[t].Overlaps(span.Start, span.End) && (winner is null || Outranks(span, winner)))
                    winner = span;
            tags[t] = winner is null ? 0 : categoryIndex[winner.Category] + 1;
        }
        IReadOnlyList<long> responseIds = endToken is { } end ? [.. ids, end] : ids;
        return new SpanExample(tokenizer.Encode(prompt), responseIds, tags);
    }

    private bool Outranks(TextSpan span, TextSpan other) =>
        span.Severity != other.Severity ? span.Severity > other.Severity : categoryIndex[span.Category] < categoryIndex[other.Category];

    private void Check(string name, string response, IReadOnlyList<TextSpan> spans, int i)
    {
        var span = spans[i] ?? throw new ArgumentException($"{name}: span {i} is null", nameof(spans));
        var what = $"{name}: span {i} [{span.Start}, {span.End}) '{span.Category}'";
        if (span.Start < 0 || span.End <= span.Start)
            throw new ArgumentException($"{what} is not a non-empty range", nameof(spans));
        if (span.End > response.Length)
            throw new ArgumentException($"{what} lies outside the response of {response.Length} UTF-16 characters", nameof(spans));
        if (!categoryIndex.ContainsKey(span.Category))
            throw new ArgumentException($"{what}: the category is not in the taxonomy ({string.Join(", ", categoryIndex.Keys)})", nameof(spans));
        if (span.Severity is < 0 or > 3)
            throw new ArgumentException($"{what}: severity must be 0 (none) to 3 (critical), got {span.Severity}", nameof(spans));
    }
}
