using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PreferenceStudio.Models.Tokenization;

/// <summary>An added token of tokenizer.json: matched verbatim before any splitting, never merged.</summary>
public sealed record AddedToken(long Id, string Content, bool Special);

/// <summary>
/// A byte-level BPE tokenizer read from a Hugging Face tokenizer.json (GPT-2, Qwen2, Llama 3): added tokens are cut
/// out first, the rest is NFC-normalized if asked, split by the pre-tokenizer regex, mapped to byte-level characters
/// and merged by rank.
/// </summary>
public sealed class BpeTokenizer
{
    private readonly Dictionary<string, long> vocab;
    private readonly Dictionary<long, string> idToToken;
    private readonly Dictionary<(string, string), int> mergeRanks;
    private readonly List<AddedToken> addedTokens;
    private readonly Dictionary<string, AddedToken> addedByContent;
    private readonly Dictionary<long, AddedToken> addedById;
    private readonly Regex? addedTokenPattern;
    private readonly Regex splitPattern;
    private readonly bool normalizeNfc;
    private readonly bool addPrefixSpace;
    private readonly bool ignoreMerges;
    // Words seen before; concurrent because one tokenizer serves many requests.
    private readonly ConcurrentDictionary<string, long[]> cache = new(StringComparer.Ordinal);

    private BpeTokenizer(JsonObject root)
    {
        Json = root;
        var model = root["model"]?.AsObject() ?? throw new InvalidDataException("tokenizer.json has no model");
        var type = model["type"]?.GetValue<string>() ?? "BPE";
        if (type != "BPE") throw new NotSupportedException($"tokenizer model type '{type}' is not supported (BPE)");
        vocab = model["vocab"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<long>(), StringComparer.Ordinal);
        mergeRanks = [];
        var rank = 0;
        foreach (var merge in model["merges"]?.AsArray() ?? [])
        {
            // "a b" (older files) or ["a", "b"] (newer ones, which allow spaces inside tokens)
            var (left, right) = merge is JsonArray pair
                ? (pair[0]!.GetValue<string>(), pair[1]!.GetValue<string>())
                : Split(merge!.GetValue<string>());
            mergeRanks.TryAdd((left, right), rank++);
        }
        ignoreMerges = model["ignore_merges"]?.GetValue<bool>() ?? false;

        addedTokens = (root["added_tokens"]?.AsArray() ?? []).Select(t => new AddedToken(
            t!["id"]!.GetValue<long>(), t["content"]!.GetValue<string>(), t["special"]?.GetValue<bool>() ?? false)).ToList();
        addedByContent = addedTokens.ToDictionary(t => t.Content, StringComparer.Ordinal);
        addedById = addedTokens.ToDictionary(t => t.Id);
        idToToken = vocab.ToDictionary(kv => kv.Value, kv => kv.Key);
        foreach (var t in addedTokens) idToToken[t.Id] = t.Content;
        if (addedTokens.Count > 0)
            addedTokenPattern = new Regex(string.Join("|", addedTokens.Select(t => t.Content).OrderByDescending(c => c.Length).Select(Regex.Escape)),
                RegexOptions.CultureInvariant);

        normalizeNfc = FindAll(root["normalizer"]).Any(n => n["type"]?.GetValue<string>() == "NFC");
        string? pattern = null;
        foreach (var p in FindAll(root["pre_tokenizer"]))
        {
            switch (p["type"]?.GetValue<string>())
            {
                case "Split":
                    pattern ??= p["pattern"]?["Regex"]?.GetValue<string>() ?? Regex.Escape(p["pattern"]?["String"]?.GetValue<string>() ?? " ");
                    break;
                case "ByteLevel":
                    addPrefixSpace = p["add_prefix_space"]?.GetValue<bool>() ?? false;
                    if (p["use_regex"]?.GetValue<bool>() ?? true) pattern ??= PreTokenizerPatterns.Gpt2;
                    break;
            }
        }
        splitPattern = new Regex(pattern ?? PreTokenizerPatterns.Gpt2, RegexOptions.CultureInvariant);
    }

    /// <summary>The parsed tokenizer.json, as read.</summary>
    public JsonObject Json { get; }

    public IReadOnlyList<AddedToken> AddedTokens => addedTokens;

    /// <summary>Largest id + 1 (model vocab plus added tokens).</summary>
    public long VocabSize => idToToken.Keys.Max() + 1;

    public static BpeTokenizer FromFile(string path) => FromJson(File.ReadAllText(path));

    public static BpeTokenizer FromJson(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("empty tokenizer.json"));

    public long? TokenToId(string token) =>
        addedByContent.GetValueOrDefault(token)?.Id ?? (vocab.TryGetValue(token, out var id) ? id : null);

    public string? IdToToken(long id) => idToToken.GetValueOrDefault(id);

    /// <summary>Token ids of <paramref name="text"/>; added tokens written in the text are recognized.</summary>
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<long>();
        var start = 0;
        if (addedTokenPattern is not null)
            foreach (Match m in addedTokenPattern.Matches(text))
            {
                EncodeOrdinary(text[start..m.Index], ids);
                ids.Add(addedByContent[m.Value].Id);
                start = m.Index + m.Length;
            }
        EncodeOrdinary(text[start..], ids);
        return [.. ids];
    }

    /// <summary>
    /// The ids <see cref="Encode"/> gives, each with the UTF-16 range [Start, End) of <paramref name="text"/> it came
    /// from (Hugging Face's offset mapping), so labels on characters can become labels on tokens. A character whose
    /// UTF-8 bytes are split between tokens lies in each of them; a character NFC normalization merged with its
    /// neighbours (e + U+0301 → é) gives all of them to the tokens of the merged one; a prefix space the tokenizer
    /// adds covers no character.
    /// </summary>
    public (long[] Ids, TokenOffset[] Offsets) EncodeWithOffsets(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<long>();
        var offsets = new List<TokenOffset>();
        var start = 0;
        if (addedTokenPattern is not null)
            foreach (Match m in addedTokenPattern.Matches(text))
            {
                EncodeOrdinary(text[start..m.Index], ids, offsets, start);
                ids.Add(addedByContent[m.Value].Id);
                offsets.Add(new TokenOffset(m.Index, m.Index + m.Length));
                start = m.Index + m.Length;
            }
        EncodeOrdinary(text[start..], ids, offsets, start);
        return ([.. ids], [.. offsets]);
    }

    /// <summary>Text of the ids; special tokens are dropped with <paramref name="skipSpecialTokens"/>.</summary>
    public string Decode(IEnumerable<long> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (addedById.TryGetValue(id, out var added))
            {
                Flush();
                if (!(skipSpecialTokens && added.Special)) text.Append(added.Content);
                continue;
            }
            if (idToToken.TryGetValue(id, out var token)) bytes.AddRange(ByteLevel.Decode(token));
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            text.Append(Encoding.UTF8.GetString(bytes.ToArray()));  // invalid UTF-8 becomes U+FFFD, as the reference does
            bytes.Clear();
        }
    }

    // With offsets, each token's range is found in the normalized text and mapped back to the original's characters
    // (origin: where this piece starts in the text EncodeWithOffsets was given).
    private void EncodeOrdinary(string text, List<long> ids, List<TokenOffset>? offsets = null, int origin = 0)
    {
        if (text.Length == 0) return;
        NormalizedText? normalized = null;
        if (offsets is null)
        {
            if (normalizeNfc) text = text.Normalize(NormalizationForm.FormC);
            if (addPrefixSpace && !text.StartsWith(' ')) text = " " + text;
        }
        else
        {
            normalized = NormalizedText.Of(text, normalizeNfc);
            if (addPrefixSpace && !normalized.Text.StartsWith(' ')) normalized = normalized.WithPrefixSpace();
            text = normalized.Text;
        }
        foreach (Match m in splitPattern.Matches(text))
        {
            var word = ByteLevel.Encode(Encoding.UTF8.GetBytes(m.Value));
            if (!cache.TryGetValue(word, out var wordIds))
            {
                wordIds = ignoreMerges && vocab.TryGetValue(word, out var whole) ? [whole] : Bpe(word);
                if (cache.Count < 100_000) cache.TryAdd(word, wordIds);
            }
            ids.AddRange(wordIds);
            if (offsets is not null) AddOffsets(m, wordIds, normalized!, origin, offsets);
        }
    }

    // A byte-level token's string has one character per byte, so the tokens of a word cover its UTF-8 bytes in turn.
    private void AddOffsets(Match word, long[] wordIds, NormalizedText normalized, int origin, List<TokenOffset> offsets)
    {
        var (charStart, charEnd) = ByteLevel.CharRangesOfBytes(word.Value);
        var firstByte = 0;
        foreach (var id in wordIds)
        {
            var lastByte = firstByte + idToToken[id].Length - 1;
            var (start, _) = normalized.Original(word.Index + charStart[firstByte]);
            var (_, end) = normalized.Original(word.Index + charEnd[lastByte] - 1);
            offsets.Add(new TokenOffset(origin + start, origin + end));
            firstByte = lastByte + 1;
        }
    }

    // Repeatedly merges the adjacent pair with the lowest rank (earliest learned), as the reference BPE does.
    private long[] Bpe(string word)
    {
        var symbols = word.Select(c => c.ToString()).ToList();
        while (symbols.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i < symbols.Count - 1; i++)
                if (mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < bestRank)
                    (best, bestRank) = (i, r);
            if (best < 0) break;
            var (left, right) = (symbols[best], symbols[best + 1]);
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == left && symbols[i + 1] == right)
                {
                    merged.Add(left + right);
                    i++;
                }
                else merged.Add(symbols[i]);
            }
            symbols = merged;
        }
        return symbols.Select(s => vocab.TryGetValue(s, out var id) ? id
            : throw new InvalidDataException($"BPE produced '{s}', which is not in the vocabulary")).ToArray();
    }

    private static (string, string) Split(string merge)
    {
        var space = merge.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0) throw new InvalidDataException($"bad merge '{merge}'");
        return (merge[..space], merge[(space + 1)..]);
    }

    // A component and, for "Sequence", its parts (pretokenizers / normalizers).
    private static IEnumerable<JsonObject> FindAll(JsonNode? node)
    {
        if (node is not JsonObject o) yield break;
        yield return o;
        foreach (var key in new[] { "pretokenizers", "normalizers" })
            if (o[key] is JsonArray parts)
                foreach (var part in parts)
                    foreach (var inner in FindAll(part))
                        yield return inner;
    }
}
