using PreferenceStudio.Training.Principles;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Principles;

public class PrincipleLossTests
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void BinaryCrossEntropy_LossAndGradient_MatchTheClosedForm()
    {
        using var scope = NewDisposeScope();
        double[] z = [2.0, -1.0, 0.5, -3.0], y = [1, 1, 0, 0], w = [1.0, 2.0, 0.5, 1.0];
        var logits = tensor(z.Select(v => (float)v).ToArray(), requires_grad: true);

        var loss = PrincipleLoss.BinaryCrossEntropy(logits, tensor(y.Select(v => (float)v).ToArray()), tensor(w.Select(v => (float)v).ToArray()));
        loss.backward();

        // ℓ_i = −y log σ(z) − (1 − y) log(1 − σ(z)); loss = Σ w ℓ / Σ w; ∂loss/∂z_i = w_i (σ(z_i) − y_i) / Σ w.
        var weightSum = w.Sum();
        var expected = Enumerable.Range(0, 4).Sum(i => w[i] * -(y[i] * Math.Log(Sigmoid(z[i])) + (1 - y[i]) * Math.Log(1 - Sigmoid(z[i])))) / weightSum;
        loss.item<float>().ShouldBe((float)expected, 1e-6f);
        var gradient = logits.grad!.data<float>().ToArray();
        for (var i = 0; i < 4; i++)
            gradient[i].ShouldBe((float)(w[i] * (Sigmoid(z[i]) - y[i]) / weightSum), 1e-6f);
    }

    [Fact]
    public void BinaryCrossEntropy_ConfidentAndWrong_StaysFiniteAndLinearInTheLogit()
    {
        using var scope = NewDisposeScope();

        // σ(100) rounds to 1 in float32, so log(1 − σ) would be −∞; from the logits the loss is 100 (to 1e-44).
        var loss = PrincipleLoss.BinaryCrossEntropy(tensor(new[] { 100f }), tensor(new[] { 0f }), tensor(new[] { 1f }));

        loss.item<float>().ShouldBe(100f, 1e-4f);
    }
}
