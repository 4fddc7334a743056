using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Training.Tests.Principles;

public class PrincipleMetricsTests
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void ToDictionary_HandCountedExamples_AccuracyPerPrincipleAndMeanPByVerdict()
    {
        var metrics = new PrincipleMetrics();
        // honest: right (yes at +2), wrong (yes at −1), wrong (no at 0: a logit of 0 predicts yes). concise: right, wrong.
        metrics.Add("honest", 2.0, satisfied: true, weight: 1, loss: 0.1);
        metrics.Add("honest", -1.0, satisfied: true, weight: 1, loss: 0.2);
        metrics.Add("honest", 0.0, satisfied: false, weight: 2, loss: 0.3);
        metrics.Add("concise", -2.0, satisfied: false, weight: 1, loss: 0.4);
        metrics.Add("concise", 3.0, satisfied: false, weight: 1, loss: 0.5);

        var result = metrics.ToDictionary();

        result["eval_accuracy"].ShouldBe(2.0 / 5, 1e-12);
        result["eval_accuracy/honest"].ShouldBe(1.0 / 3, 1e-12);
        result["eval_accuracy/concise"].ShouldBe(1.0 / 2, 1e-12);
        result["eval_examples/honest"].ShouldBe(3);
        result["eval_examples/concise"].ShouldBe(2);
        result["eval_mean_p/yes"].ShouldBe((Sigmoid(2) + Sigmoid(-1)) / 2, 1e-12);
        result["eval_mean_p/no"].ShouldBe((0.5 + Sigmoid(-2) + Sigmoid(3)) / 3, 1e-12);
        result["eval_loss"].ShouldBe((0.1 + 0.2 + 2 * 0.3 + 0.4 + 0.5) / 6, 1e-12);
        double[] p = [Sigmoid(2), Sigmoid(-1), 0.5, Sigmoid(-2), Sigmoid(3)], y = [1, 1, 0, 0, 0];
        result["eval_brier"].ShouldBe(p.Zip(y, (a, b) => (a - b) * (a - b)).Average(), 1e-12);
    }

    [Fact]
    public void ToDictionary_OnlyYesVerdicts_LeavesOutTheMeanPForNo()
    {
        var metrics = new PrincipleMetrics();
        metrics.Add("honest", 1.0, satisfied: true, weight: 1, loss: 0.3);

        var result = metrics.ToDictionary("x_");

        result.Keys.ShouldNotContain("x_mean_p/no");
        result["x_mean_p/yes"].ShouldBe(Sigmoid(1), 1e-12);
        new PrincipleMetrics().ToDictionary().ShouldBeEmpty();
    }
}
