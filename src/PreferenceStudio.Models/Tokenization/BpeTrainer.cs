using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PreferenceStudio.Models.Tokenization;

/// <summary>
/// Learns byte-level BPE merges from a corpus (Sennrich et al. 2016: merge the most frequent adjacent pair, repeat)
/// and writes them as a Hugging Face tokenizer.json in the Qwen2 layout, for the tiny checkpoints of tests.
/// </summary>
public static class BpeTrainer
{
    public static string TrainTokenizerJson(IEnumerable<string> corpus, int merges, IReadOnlyList<string> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(specialTokens);
        var split = new Regex(PreTokenizerPatterns.Qwen2, RegexOptions.CultureInvariant);
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in corpus)
            foreach (Match m in split.Matches(line))
            {
                var w = ByteLevel.Encode(Encoding.UTF8.GetBytes(m.Value));
                words[w] = words.GetValueOrDefault(w) + 1;
            }
        var pieces = words.ToDictionary(kv => kv.Key, kv => kv.Key.Select(c => c.ToString()).ToList(), StringComparer.Ordinal);

        var vocab = new JsonObject();
        for (var b = 0; b < 256; b++) vocab[ByteLevel.CharFor((byte)b).ToString()] = b;
        var mergeList = new JsonArray();
        for (var n = 0; n < merges; n++)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var (word, symbols) in pieces)
                for (var i = 0; i < symbols.Count - 1; i++)
                    counts[(symbols[i], symbols[i + 1])] = counts.GetValueOrDefault((symbols[i], symbols[i + 1])) + words[word];
            if (counts.Count == 0) break;
            // Most frequent; ties broken by the pair's text so training is deterministic.
            var best = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1 + " " + kv.Key.Item2, StringComparer.Ordinal).First().Key;
            var merged = best.Item1 + best.Item2;
            if (!vocab.ContainsKey(merged)) vocab[merged] = vocab.Count;
            mergeList.Add(new JsonArray(best.Item1, best.Item2));
            foreach (var symbols in pieces.Values)
                for (var i = 0; i < symbols.Count - 1; i++)
                    if (symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
                    {
                        symbols[i] = merged;
                        symbols.RemoveAt(i + 1);
                    }
        }

        var added = new JsonArray();
        foreach (var s in specialTokens)
            added.Add(new JsonObject
            {
                ["id"] = vocab.Count + added.Count, ["content"] = s, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = PreTokenizerPatterns.Qwen2 }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab, ["merges"] = mergeList,
            },
        };
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}
