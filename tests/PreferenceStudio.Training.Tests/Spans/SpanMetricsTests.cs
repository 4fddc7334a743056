using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Training.Tests.Spans;

public class SpanMetricsTests
{
    [Fact]
    public void Scores_HandCountedConfusion_GivePrecisionRecallF1PerCategory()
    {
        var metrics = new SpanMetrics(["factual", "style"]);
        // tags:      0  0  1  1  1  2  2  0  -100 (ignored, whatever is predicted)
        // predicted: 0  1  1  1  0  2  1  2  2
        metrics.Add([0, 1, 1, 1, 0, 2, 1, 2, 2], [0, 0, 1, 1, 1, 2, 2, 0, -100]);

        // factual: TP 2 (positions 2, 3), FP 2 (1, 6), FN 1 (4) → P 1/2, R 2/3, F1 4/7.
        metrics.Counts(0).ShouldBe((2L, 2L, 1L));
        var (p, r, f1) = metrics.Scores(0);
        (p, r, f1).ShouldBe((0.5, 2.0 / 3, 4.0 / 7));
        // style: TP 1 (5), FP 1 (7), FN 1 (6) → 1/2 each.
        metrics.Scores(1).ShouldBe((0.5, 0.5, 0.5));
        metrics.MacroF1.ShouldBe((4.0 / 7 + 0.5) / 2, 1e-12);
        metrics.Tokens.ShouldBe(8);
        metrics.Accuracy.ShouldBe(4.0 / 8);  // positions 0, 2, 3, 5
        var keys = metrics.ToDictionary("eval_");
        keys["eval_factual/recall"].ShouldBe(2.0 / 3);
        keys["eval_macro_f1"].ShouldBe(metrics.MacroF1);
    }

    [Fact]
    public void Scores_CategoryNeverTaggedNorPredicted_IsZeroNotNaN()
    {
        var metrics = new SpanMetrics(["factual", "style"]);
        metrics.Add([0, 1], [0, 1]);

        metrics.Scores(0).ShouldBe((1.0, 1.0, 1.0));
        metrics.Scores(1).ShouldBe((0.0, 0.0, 0.0));
        metrics.MacroF1.ShouldBe(0.5);
    }
}
