namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// The demo's simulated annotator, in one place: the seed's labels (DemoLabels) and the loop demo's rounds judge with
/// it. It likes answers of about <see cref="TargetWords"/> words, one point off per <see cref="WordsPerPoint"/> words
/// away, with Bradley–Terry noise at <see cref="Temperature"/>. Length, not target words, because DPO on the tiny demo
/// policy moves it reliably: every sentence ends in a choice between stopping and going on, one token that the chosen
/// and rejected answers of a pair disagree on. 35 words is 7 of the demo policy's 5-word sentences, near the long end
/// of its 1 to 8, so the base is mostly far from it and a policy that learned the taste beats the base clearly.
/// </summary>
public static class DemoTaste
{
    public const int TargetWords = 35;

    public const double WordsPerPoint = 5;

    /// <summary>Mostly, not always, the answer nearer the target wins: one sentence (5 words) nearer wins 88 % of the time.</summary>
    public const double Temperature = 0.5;

    public static IResponsePreference Preference { get; } = new TargetLengthPreference(TargetWords, WordsPerPoint);

    /// <summary>A judge with this taste; the seed fixes its noise.</summary>
    public static BradleyTerryJudge Judge(int seed) => new(Preference, Temperature, seed);
}
