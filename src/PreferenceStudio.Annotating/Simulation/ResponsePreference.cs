namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// A simulated annotator's hidden taste: a score per response text, higher is better. Only differences matter: the
/// Bradley–Terry judge turns the difference of two scores into the chance that one response is preferred.
/// </summary>
public interface IResponsePreference
{
    double Score(string text);

    /// <summary>What the taste is, in a line a person can read next to the results.</summary>
    string Description { get; }
}

/// <summary>Prefers responses that use more of a target list of words: one point per occurrence.</summary>
public sealed class TargetWordsPreference(IEnumerable<string> words) : IResponsePreference
{
    private readonly HashSet<string> _words = words.Select(w => w.ToLowerInvariant()).ToHashSet();

    public string Description => $"one point per use of: {string.Join(", ", _words.Order())}";

    public double Score(string text) => Words(text).Count(_words.Contains);

    /// <summary>The text's words, lower-cased: runs of letters and digits.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
                start = i;
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}

/// <summary>Prefers responses whose length in words lands near a target: minus one point per <c>scale</c> words off.</summary>
public sealed class TargetLengthPreference(int targetWords, double scale = 4) : IResponsePreference
{
    public string Description => $"about {targetWords} words (one point per {scale} words off)";

    public double Score(string text) => -Math.Abs(TargetWordsPreference.Words(text).Count() - targetWords) / scale;
}
