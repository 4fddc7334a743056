using PreferenceStudio.Annotating.Simulation;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>The judge's noise-free measures of a model's predictions, on the demo's taste (about 40 words, one point per
/// 5 words off, T 0.5), with no database.</summary>
public sealed class BradleyTerryJudgeTests
{
    private static readonly string Forty = Words(40);
    private static readonly string ThirtyFive = Words(35);
    private static readonly string Thirty = Words(30);
    private static readonly string FortyFive = Words(45);

    [Fact]
    public void ExpectedAccuracy_HandComputedPredictions_AveragesTheChanceTheJudgeAgrees()
    {
        var judge = DemoTaste.Judge(seed: 1);
        // 40 against 35 words: one point apart, P = σ(1 / 0.5) = 0.880797; 40 against 30: σ(4) = 0.982014;
        // 35 against 45: both one point off, P = 0.5.
        (string, string, double)[] predictions =
        [
            (Forty, ThirtyFive, 1.0),    // picks 40 words: right with 0.880797
            (Forty, Thirty, -0.3),       // picks 30 words: right with 1 − 0.982014
            (ThirtyFive, FortyFive, 0.2), // a coin flip for the judge: 0.5
            (Forty, ThirtyFive, 0.0),    // a tie in the model: right half the time
        ];

        judge.ExpectedAccuracy(predictions).ShouldBe((0.880797 + 0.017986 + 0.5 + 0.5) / 4, 1e-6);
    }

    [Fact]
    public void ExpectedAccuracy_ModelPicksTheLikelierSide_EqualsTheBayesAccuracy()
    {
        var judge = DemoTaste.Judge(seed: 1);
        (string A, string B)[] pairs = [(Forty, ThirtyFive), (Thirty, Forty), (ThirtyFive, FortyFive), (Thirty, ThirtyFive)];
        var likelier = pairs.Select(p => (p.A, p.B, Margin: judge.Probability(p.A, p.B) - 0.5));

        judge.ExpectedAccuracy(likelier).ShouldBe(judge.BayesAccuracy(pairs), 1e-12);
    }

    [Fact]
    public void ExpectedAccuracy_ManyNoisyLabels_IsTheShareOfLabelsThePredictionsMatch()
    {
        var judge = DemoTaste.Judge(seed: 7);
        (string A, string B, double Margin)[] predictions = [(Forty, ThirtyFive, 2), (Thirty, Forty, 1), (FortyFive, Thirty, 0.5)];
        var draws = 20_000;

        var matched = Enumerable.Range(0, draws).Sum(_ => predictions.Count(p => judge.Prefers(p.A, p.B) == p.Margin > 0));

        (matched / (3.0 * draws)).ShouldBe(judge.ExpectedAccuracy(predictions), 0.005);
    }

    [Fact]
    public void ExpectedAccuracy_NaNMargin_ThrowsNamingThePrediction()
    {
        var judge = DemoTaste.Judge(seed: 1);

        var error = Should.Throw<ArgumentException>(() => judge.ExpectedAccuracy([(Forty, Thirty, 1.0), (Forty, Thirty, double.NaN)]));

        error.Message.ShouldContain("predictions[1]");
    }

    private static string Words(int count) => string.Join(' ', Enumerable.Repeat("word", count));
}
