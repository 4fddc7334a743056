namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// The demo's simulated annotator, in one place: the seed's labels (DemoLabels) and the loop demo's rounds judge with
/// it. It likes answers of about <see cref="TargetWords"/> words, one point off per <see cref="WordsPerPoint"/> words
/// away, with Bradley–Terry noise at <see cref="Temperature"/>. Length, not target words, because DPO on the tiny demo
/// policy moves it reliably: every sentence ends in a choice between stopping and going on, one token that the chosen
/// and rejected answers of a pair disagree on. 40 words is 8 of the demo policy's 5-word sentences, the long end of
/// its 1 to 8: within what the base says the taste is then "longer is better", which the tiny reward model learns
/// from a few hundred labels. A peak inside the range is harder for it: at 35 words (7 sentences) the reward model
/// of round two reached 70 % held-out accuracy against a Bayes limit of 83 %, as it had to tell 7 sentences from 8.
/// </summary>
public static class DemoTaste
{
    public const int TargetWords = 40;

    public const double WordsPerPoint = 5;

    /// <summary>Mostly, not always, the answer nearer the target wins: one sentence (5 words) nearer wins 88 % of the time.</summary>
    public const double Temperature = 0.5;

    public static IResponsePreference Preference { get; } = new TargetLengthPreference(TargetWords, WordsPerPoint);

    /// <summary>A judge with this taste; the seed fixes its noise.</summary>
    public static BradleyTerryJudge Judge(int seed) => new(Preference, Temperature, seed);
}
