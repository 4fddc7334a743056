namespace PreferenceStudio.Training.Spans;

/// <summary>Where a response's segments end, and the reward each segment's end gets.</summary>
public static class SpanSegments
{
    /// <summary>The index of each segment's last token, ascending; the response's last token always closes one.</summary>
    /// <param name="tokenText">A token's text, for sentence ends (e.g. the tokenizer's Decode of the one id).</param>
    public static int[] Ends(IReadOnlyList<long> response, int? segmentLength, Func<long, string> tokenText)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(tokenText);
        var ends = new List<int>();
        for (var t = 0; t < response.Count - 1; t++)
            if (segmentLength is { } n ? (t + 1) % n == 0 : EndsSentence(tokenText(response[t])))
                ends.Add(t);
        if (response.Count > 0) ends.Add(response.Count - 1);
        return [.. ends];
    }

    /// <summary>Whether a token closes a sentence: its text, trailing white space aside, ends in '.', '!' or '?', or
    /// it holds a line break.</summary>
    public static bool EndsSentence(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('\n') || text.TrimEnd() is [.., '.' or '!' or '?'];
    }

    /// <summary>
    /// One reward per token: 0, except at each segment's last token, where it is −Σ_c w_c · Σ_{t in segment} p_t(c),
    /// the weighted error mass the model predicts over the segment's tokens. errorMass[t][c]: the probability that
    /// token t is an error of category c.
    /// </summary>
    public static float[] Rewards(IReadOnlyList<float[]> errorMass, IReadOnlyList<int> ends, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(errorMass);
        ArgumentNullException.ThrowIfNull(ends);
        ArgumentNullException.ThrowIfNull(weights);
        var rewards = new float[errorMass.Count];
        var start = 0;
        foreach (var end in ends)
        {
            if (end < start || end >= errorMass.Count)
                throw new ArgumentException($"segment end {end} is not after the previous one ({start - 1}) inside {errorMass.Count} tokens", nameof(ends));
            double cost = 0;
            for (var t = start; t <= end; t++)
            {
                if (errorMass[t].Length != weights.Count)
                    throw new ArgumentException($"token {t} has {errorMass[t].Length} categories; there are {weights.Count} weights", nameof(weights));
                for (var c = 0; c < weights.Count; c++) cost += weights[c] * errorMass[t][c];
            }
            rewards[end] = (float)-cost;
            start = end + 1;
        }
        return rewards;
    }
}
