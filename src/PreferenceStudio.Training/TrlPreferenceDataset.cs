using System.Text.Json;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Training;

/// <summary>
/// Reads TRL's conversational preference layout, JSON Lines of {"prompt": [messages], "chosen": [one assistant
/// message], "rejected": [...], "margin": n, "weight": w}, as the TRL preference export writes it (weight: the pair's share
/// of one labelled example, 1 when absent), and tokenizes every row with
/// ChatML: the prompt with the assistant's turn opened, each response closed by &lt;|im_end|&gt;.
/// </summary>
public static class TrlPreferenceDataset
{
    public static List<PreferencePair> Load(string path, BpeTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var end = tokenizer.TokenToId(ChatML.End)
            ?? throw new ArgumentException($"the tokenizer has no {ChatML.End} token, which ChatML needs", nameof(tokenizer));
        var pairs = new List<PreferencePair>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                pairs.Add(Tokenize(JsonDocument.Parse(text).RootElement, tokenizer, end));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                throw new FormatException($"{Path.GetFileName(path)} line {line}: {ex.Message}", ex);
            }
        }
        return pairs;
    }

    private static PreferencePair Tokenize(JsonElement row, BpeTokenizer tokenizer, long end)
    {
        var prompt = Messages(row, "prompt");
        if (prompt.Count == 0 || prompt[^1].Role != "user")
            throw new FormatException("'prompt' must end with a user message");
        var margin = row.TryGetProperty("margin", out var m) ? m.GetDouble() : 0;
        var weight = row.TryGetProperty("weight", out var w) ? w.GetDouble() : 1;
        if (!(weight > 0) || !double.IsFinite(weight))
            throw new FormatException($"'weight' must be a positive number, got {weight}");
        return new PreferencePair(
            tokenizer.Encode(ChatML.Format(prompt)),
            [.. tokenizer.Encode(Response(row, "chosen")), end],
            [.. tokenizer.Encode(Response(row, "rejected")), end],
            margin,
            weight);
    }

    private static List<ChatMessage> Messages(JsonElement row, string field)
    {
        if (!row.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new FormatException($"'{field}' must be an array of messages");
        return array.EnumerateArray()
            .Select(m => new ChatMessage(m.GetProperty("role").GetString() ?? "", m.GetProperty("content").GetString() ?? ""))
            .ToList();
    }

    private static string Response(JsonElement row, string field)
    {
        var messages = Messages(row, field);
        if (messages is not [{ Role: "assistant" } reply])
            throw new FormatException($"'{field}' must hold exactly one assistant message");
        if (reply.Content.Contains(ChatML.Start, StringComparison.Ordinal) || reply.Content.Contains(ChatML.End, StringComparison.Ordinal))
            throw new FormatException($"'{field}' contains a ChatML control token");
        return reply.Content;
    }
}
