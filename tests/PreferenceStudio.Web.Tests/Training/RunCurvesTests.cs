using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class RunCurvesTests
{
    [Fact]
    public void Add_BatchesOfPoints_GrowTheCurvesAndRememberTheNewestPoint()
    {
        var curves = new RunCurves();

        curves.Add([new(1, "loss", 1, 0.7), new(2, "rewards/accuracies", 1, 0.5), new(3, "grad_norm", 1, 2.0)]);
        curves.Add([new(4, "loss", 2, 0.6), new(5, "eval_loss", 2, 0.65)]);

        curves.LastPointId.ShouldBe(5);
        curves.LastStep.ShouldBe(2);
        curves.Loss.PlottedPoints.ShouldBe(2);
        curves.Loss.HeldOut.ShouldBe((2, 0.65));
        curves.Accuracy.PlottedPoints.ShouldBe(1);
    }

    [Fact]
    public void Add_StepWrittenAgain_KeepsTheNewerValue()
    {
        var curves = new RunCurves();

        curves.Add([new(1, "loss", 1, 0.7), new(2, "loss", 2, 0.6)]);
        curves.Add([new(9, "loss", 2, 0.55)]);

        curves.Loss.PlottedPoints.ShouldBe(2);
        curves.Loss.Series.Data.Values.ShouldBe([0.7, 0.55]);
    }
}
