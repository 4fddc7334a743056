using PreferenceStudio.Annotating.Simulation;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>The demo's taste and the win-rate a simulated annotator gives, against hand-computed values.</summary>
public sealed class WinRateJudgeTests
{
    private static string Words(int count) => string.Join(' ', Enumerable.Repeat("word", count)) + ".";

    [Fact]
    public void Probability_DemoTasteOneSentenceNearer_IsSigmoidOfTwo()
    {
        // 40 words scores 0, 35 words −1 (5 words a point); at T = 0.5: σ(1 / 0.5) = σ(2) = 0.8808.
        var judge = DemoTaste.Judge(seed: 0);

        judge.Probability(Words(40), Words(35)).ShouldBe(0.8808, 1e-4);
        judge.Probability(Words(45), Words(35)).ShouldBe(0.5, 1e-12);  // both one sentence off
        DemoTaste.Preference.Score(Words(25)).ShouldBe(-3);
    }

    [Fact]
    public void ExpectedShare_HandPairs_IsTheMeanProbability()
    {
        var referee = new WinRateJudge(DemoTaste.Judge(seed: 0));

        // σ(2) = 0.8808, σ(−2) = 0.1192, σ(6) = 0.99753 (40 against 25 words: 3 points at T 0.5).
        var share = referee.ExpectedShare([Words(40), Words(35), Words(40)], [Words(35), Words(40), Words(25)]);

        share.ShouldBe((0.88080 + 0.11920 + 0.99753) / 3, 1e-4);
    }

    [Fact]
    public void Judge_ManyPairs_WinsAsOftenAsTheProbabilitySays()
    {
        var referee = new WinRateJudge(DemoTaste.Judge(seed: 4));
        var candidate = Enumerable.Repeat(Words(40), 10_000).ToList();
        var baseline = Enumerable.Repeat(Words(35), 10_000).ToList();

        var rate = referee.Judge(candidate, baseline);

        rate.Judged.ShouldBe(10_000);
        rate.Share.ShouldBe(0.8808, 0.012);
        var (low, high) = rate.Interval();
        (low < rate.Share && rate.Share < high && high - low < 0.015).ShouldBeTrue();
    }

    [Fact]
    public void Judge_UnequalCounts_ThrowsNamingTheBaseline()
    {
        var referee = new WinRateJudge(DemoTaste.Judge(seed: 0));

        var error = Should.Throw<ArgumentException>(() => referee.Judge([Words(5), Words(10)], [Words(5)]));

        error.ParamName.ShouldBe("baseline");
    }
}
