using PreferenceStudio.Annotating.Simulation;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>The PPO demo's error taxonomy and its noisy span marker: exact at noise 0, noisy at the set rates.</summary>
public sealed class SimulatedSpanMarkerTests
{
    private const string Text = "Basically the cat reads the Moon. The the dog sees a song.";

    [Fact]
    public void Find_DemoTaxonomy_MarksEachErrorWordWithItsCategory()
    {
        var spans = DemoErrors.Taxonomy.Find(Text);

        spans.ShouldBe([
            new ErrorSpan(0, 9, DemoErrors.Filler),           // "Basically"
            new ErrorSpan(28, 32, DemoErrors.MadeUpFact),     // "Moon", case aside, the full stop outside
            new ErrorSpan(38, 41, DemoErrors.Repetition),     // the second "the" of "The the"
        ]);
        spans.Select(s => Text[s.Start..s.End]).ShouldBe(["Basically", "Moon", "the"]);
        DemoErrors.Taxonomy.Find("The cat reads moonlight, a dragonfly.").ShouldBeEmpty();  // whole words only
    }

    [Fact]
    public void Mark_NoNoise_MarksExactlyTheTaxonomysErrors()
    {
        var marker = new SimulatedSpanMarker(DemoErrors.Taxonomy, missRate: 0, falseMarkRate: 0, seed: 3);

        for (var i = 0; i < 50; i++)
            marker.Mark(Text).ShouldBe(DemoErrors.Taxonomy.Find(Text));
        marker.Mark("The cat reads the book.").ShouldBeEmpty();
    }

    [Fact]
    public void Mark_ManyTexts_MissesAndFalseMarksAtTheirRates()
    {
        var marker = new SimulatedSpanMarker(DemoErrors.Taxonomy, missRate: 0.2, falseMarkRate: 0.05, seed: 7);
        int errors = 0, missed = 0, correctWords = 0, falseMarks = 0;
        var categories = new Dictionary<string, int>();

        for (var i = 0; i < 4000; i++)
        {
            var truth = DemoErrors.Taxonomy.Find(Text);
            var marked = marker.Mark(Text);
            errors += truth.Count;
            missed += truth.Count(t => !marked.Contains(t));
            var wrong = marked.Where(m => !truth.Any(t => t.Start == m.Start)).ToList();
            falseMarks += wrong.Count;
            correctWords += ErrorTaxonomy.Words(Text).Count() - truth.Count;
            foreach (var w in wrong) categories[w.Category] = categories.GetValueOrDefault(w.Category) + 1;
            marked.ShouldAllBe(m => !truth.Any(t => t.Start == m.Start) || truth.Contains(m));  // a true error keeps its category
        }

        // 12,000 errors: the standard error of a 0.2 share is 0.0037; 32,000 correct words: of 0.05, 0.0012.
        ((double)missed / errors).ShouldBe(0.2, 0.015);
        ((double)falseMarks / correctWords).ShouldBe(0.05, 0.005);
        categories.Keys.Order().ShouldBe(DemoErrors.Taxonomy.CategoryNames.Order());  // false marks spread over every category
    }

    [Fact]
    public void Constructor_BadTaxonomyOrRates_SayWhatIsWrong()
    {
        Should.Throw<ArgumentException>(() => new ErrorTaxonomy([new("a", ["x"]), new("b", ["X"])]))
            .Message.ShouldContain("'X' is an error word of both 'a' and 'b'");
        Should.Throw<ArgumentException>(() => new ErrorTaxonomy([new("a", ["two words"])])).Message.ShouldContain("'two words' is not one word");
        Should.Throw<ArgumentException>(() => new ErrorTaxonomy([new("a", [])])).Message.ShouldContain("'a' has no words");
        Should.Throw<ArgumentOutOfRangeException>(() => new SimulatedSpanMarker(DemoErrors.Taxonomy, 1.5, 0, 0)).Message.ShouldContain("miss rate");
        Should.Throw<ArgumentOutOfRangeException>(() => new SimulatedSpanMarker(DemoErrors.Taxonomy, 0, -0.1, 0)).Message.ShouldContain("false-mark rate");
    }
}
