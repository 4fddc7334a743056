using PreferenceStudio.Annotating.Simulation;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>The PPO demo's principle judge and overall preference: exact at noise 0, noisy at the set rate.</summary>
public sealed class SimulatedPrincipleJudgeTests
{
    private static readonly ErrorPrinciple NoMadeUpFacts = DemoErrors.Principles.Single(p => p.Category == DemoErrors.MadeUpFact);
    private static readonly ErrorPrinciple NoFiller = DemoErrors.Principles.Single(p => p.Category == DemoErrors.Filler);
    private static readonly ErrorPrinciple NoRepetition = DemoErrors.Principles.Single(p => p.Category == DemoErrors.Repetition);

    [Fact]
    public void Judge_NoNoise_SaysYesExactlyWhenThePrinciplesCategoryIsAbsent()
    {
        var judge = new SimulatedPrincipleJudge(DemoErrors.Taxonomy, flipRate: 0, seed: 1);
        const string fact = "The cat reads the volcano. The cat sees a song.";
        const string filler = "Honestly the cat reads the book.";
        const string clean = "The cat reads the book. The cat sees a song.";

        for (var i = 0; i < 20; i++)
        {
            judge.Judge(fact, NoMadeUpFacts).ShouldBeFalse();
            judge.Judge(fact, NoFiller).ShouldBeTrue();
            judge.Judge(filler, NoMadeUpFacts).ShouldBeTrue();
            judge.Judge(filler, NoFiller).ShouldBeFalse();
            judge.Judge("The cat cat reads.", NoRepetition).ShouldBeFalse();
            DemoErrors.Principles.ShouldAllBe(p => judge.Judge(clean, p));
        }
    }

    [Fact]
    public void Judge_ManyVerdicts_FlipsAtItsRate()
    {
        var judge = new SimulatedPrincipleJudge(DemoErrors.Taxonomy, flipRate: 0.1, seed: 5);

        var flipped = Enumerable.Range(0, 10_000).Count(i => judge.Judge(i % 2 == 0 ? "The cat reads the moon." : "The cat reads the book.", NoMadeUpFacts) != (i % 2 == 1));

        // 10,000 verdicts: the standard error of a 0.1 share is 0.003.
        (flipped / 10_000.0).ShouldBe(0.1, 0.012);
    }

    [Fact]
    public void Judge_PrincipleOfAnUnknownCategory_IsRefusedNamingIt()
    {
        var judge = DemoErrors.PrincipleJudge(seed: 0);

        Should.Throw<ArgumentException>(() => judge.Judge("Hi.", new ErrorPrinciple("Be kind.", "rudeness")))
            .Message.ShouldContain("'rudeness', which is not in the taxonomy");
    }

    [Fact]
    public void Probability_OneErrorFewer_IsSigmoidOfTwo()
    {
        // One point per error word; at T = 0.5 one error fewer wins σ(1 / 0.5) = σ(2) = 0.8808, two fewer σ(4) = 0.9820.
        var judge = DemoErrors.Judge(seed: 0);

        judge.Probability("The cat reads the book.", "The cat reads the moon.").ShouldBe(0.8808, 1e-4);
        judge.Probability("The cat reads the book.", "Anyway the cat reads the moon.").ShouldBe(0.9820, 1e-4);
        judge.Probability("Basically the cat reads the book.", "The cat reads the moon.").ShouldBe(0.5, 1e-12);
    }

    [Fact]
    public void Probability_AnswerSentencesShort_CountsEachMissingSentenceAsAnError()
    {
        // Three sentences expected: a clean one-sentence answer is two points short, so a full answer with one made-up
        // fact still wins σ((−1 + 2) / 0.5) = σ(2), a clean full one σ(4); two short answers tie on their errors alone.
        var judge = DemoErrors.Judge(seed: 0);
        const string full = "The cat reads the book. The cat sees a letter. The cat eats the fish.";

        judge.Probability(full.Replace("book", "moon"), "The cat reads the book.").ShouldBe(0.8808, 1e-4);
        judge.Probability(full, "The cat reads the book.").ShouldBe(0.9820, 1e-4);
        judge.Probability("The cat reads the book. The cat sees a letter", "The cat reads the book.").ShouldBe(0.8808, 1e-4);
        ErrorCountPreference.Sentences(full + " ").ShouldBe(3);
    }
}
