using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Tests.Ppo;

public class KlControllerTests
{
    [Theory]
    [InlineData(9.0, 0.2)]       // 50 % over the target: the error is clipped to +0.2
    [InlineData(6.6, 0.1)]       // 10 % over
    [InlineData(3.0, -0.2)]      // 50 % under: clipped to −0.2
    [InlineData(6.0, 0.0)]       // on target: β stays
    public void Update_Adaptive_ScalesBetaByOnePlusTheClippedErrorTimesResponsesOverHorizon(double kl, double error)
    {
        var controller = new KlController(0.2, target: 6, horizon: 10000);

        controller.Update(kl, responses: 256);

        controller.Value.ShouldBe(0.2 * (1 + error * 256 / 10000), 1e-12);
    }

    [Fact]
    public void Update_Fixed_NeverMoves()
    {
        var controller = KlController.For(new PpoConfig { KlCoef = 0.05 });

        controller.Update(100, 64);

        controller.Adaptive.ShouldBeFalse();
        controller.Value.ShouldBe(0.05);
    }

    [Fact]
    public void RunningMoments_TwoBatches_EqualTheMomentsOfAllValues()
    {
        double[] first = [1, 4, -2];
        double[] second = [0.5, 3, 3, 10];
        var all = first.Concat(second).ToArray();
        var mean = all.Average();
        var std = Math.Sqrt(all.Sum(x => (x - mean) * (x - mean)) / (all.Length - 1));
        var moments = new RunningMoments();

        moments.Update(first);
        moments.Update(second);

        moments.Mean.ShouldBe(mean, 1e-12);
        moments.Std.ShouldBe(std, 1e-12);
        moments.Count.ShouldBe(7);
        var restored = new RunningMoments();
        var (m, m2, n) = moments.State;
        restored.Restore(m, m2, n);
        restored.Std.ShouldBe(std, 1e-12);
    }
}
