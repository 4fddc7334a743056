using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests;

public class PreferenceLossesTests
{
    private static readonly double[] Chosen = [1.5, -0.25, 0.0, 3.0];
    private static readonly double[] Rejected = [0.5, 0.75, 0.0, -2.0];
    private static readonly double[] Margins = [0.0, 1.0, 2.0, 0.5];

    // Reference in doubles: loss = mean(-log σ(d)), d = c - r - m; ∂loss/∂c_i = -(1 - σ(d_i)) / B = -∂loss/∂r_i.
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BradleyTerry_KnownRewards_LossAndGradientsMatchTheClosedForm(bool withMargin)
    {
        using var scope = NewDisposeScope();
        var chosen = tensor(Chosen, [4], requires_grad: true);
        var rejected = tensor(Rejected, [4], requires_grad: true);
        var margin = withMargin ? tensor(Margins, [4]) : null;

        var loss = PreferenceLosses.BradleyTerry(chosen, rejected, margin);
        loss.backward();

        var d = Chosen.Select((c, i) => c - Rejected[i] - (withMargin ? Margins[i] : 0)).ToArray();
        loss.item<double>().ShouldBe(d.Average(x => -Math.Log(Sigmoid(x))), 1e-12);
        var expected = d.Select(x => -(1 - Sigmoid(x)) / d.Length).ToArray();
        var chosenGrad = chosen.grad!.data<double>().ToArray();
        var rejectedGrad = rejected.grad!.data<double>().ToArray();
        for (var i = 0; i < d.Length; i++)
        {
            chosenGrad[i].ShouldBe(expected[i], 1e-12);
            rejectedGrad[i].ShouldBe(-expected[i], 1e-12);
        }
    }

    [Fact]
    public void BradleyTerry_LargeRewardGap_StaysFinite()
    {
        using var scope = NewDisposeScope();
        var loss = PreferenceLosses.BradleyTerry(tensor(new[] { -200f }), tensor(new[] { 200f }));
        loss.item<float>().ShouldBe(400, 1e-3);  // log σ computed stably: no log(0)
    }
}
