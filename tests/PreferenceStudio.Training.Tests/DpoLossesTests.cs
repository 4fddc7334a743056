using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests;

public class DpoLossesTests
{
    // Per-sequence log-probabilities of four pairs: policy and reference, chosen and rejected.
    private static readonly double[] PolicyChosen = [-3.0, -5.5, -2.0, -8.0];
    private static readonly double[] PolicyRejected = [-4.0, -5.0, -2.0, -1.0];
    private static readonly double[] ReferenceChosen = [-3.5, -5.0, -2.5, -7.0];
    private static readonly double[] ReferenceRejected = [-3.0, -6.0, -2.0, -2.0];
    private static readonly double[] Weights = [1.0, 0.5, 0.25, 2.0];
    private const double Beta = 0.3;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    private static double LogSigmoid(double x) => -Math.Log(1 + Math.Exp(-x));

    // h_i = (πc − πr) − (refc − refr)
    private static double[] H => PolicyChosen.Select((c, i) => c - PolicyRejected[i] - (ReferenceChosen[i] - ReferenceRejected[i])).ToArray();

    /// <summary>Runs a loss on the fixed pairs and returns its value and d loss / d policy chosen, d loss / d policy rejected.</summary>
    private static (double Loss, double[] ChosenGrad, double[] RejectedGrad) Run(Func<Tensor, Tensor> perPair, bool weighted)
    {
        using var scope = NewDisposeScope();
        var chosen = tensor(PolicyChosen, requires_grad: true);
        var rejected = tensor(PolicyRejected, requires_grad: true);
        var logits = DpoLosses.Logits(chosen, rejected, tensor(ReferenceChosen), tensor(ReferenceRejected));
        var loss = DpoLosses.WeightedMean(perPair(logits), weighted ? tensor(Weights) : null);
        loss.backward();
        return (loss.item<double>(), chosen.grad!.data<double>().ToArray(), rejected.grad!.data<double>().ToArray());
    }

    /// <summary>The weighted mean of ℓ(h_i) and its gradients: ∂/∂πc_i = w_i ℓ'(h_i) / Σw = −∂/∂πr_i.</summary>
    private static void ShouldMatch((double Loss, double[] ChosenGrad, double[] RejectedGrad) actual, Func<double, double> loss, Func<double, double> derivative, bool weighted)
    {
        var w = weighted ? Weights : [1.0, 1, 1, 1];
        var h = H;
        actual.Loss.ShouldBe(h.Select((x, i) => w[i] * loss(x)).Sum() / w.Sum(), 1e-12);
        for (var i = 0; i < h.Length; i++)
        {
            actual.ChosenGrad[i].ShouldBe(w[i] * derivative(h[i]) / w.Sum(), 1e-12);
            actual.RejectedGrad[i].ShouldBe(-w[i] * derivative(h[i]) / w.Sum(), 1e-12);
        }
    }

    [Fact]
    public void Logits_KnownLogProbs_ArePolicyRatioMinusReferenceRatio()
    {
        using var scope = NewDisposeScope();
        var logits = DpoLosses.Logits(tensor(PolicyChosen), tensor(PolicyRejected), tensor(ReferenceChosen), tensor(ReferenceRejected));
        logits.data<double>().ToArray().ShouldBe([1.5, -1.5, 0.5, -2.0]);
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.0, true)]
    [InlineData(0.2, false)]
    [InlineData(0.2, true)]
    public void Sigmoid_KnownLogits_LossAndGradientsMatchTheClosedForm(double epsilon, bool weighted)
    {
        // ℓ(h) = −(1 − ε) log σ(βh) − ε log σ(−βh);  ℓ'(h) = β(σ(βh) − (1 − ε))
        var actual = Run(h => DpoLosses.Sigmoid(h, Beta, epsilon), weighted);
        ShouldMatch(actual,
            h => -(1 - epsilon) * LogSigmoid(Beta * h) - epsilon * LogSigmoid(-Beta * h),
            h => Beta * (Sigmoid(Beta * h) - (1 - epsilon)),
            weighted);
    }

    [Theory]
    [InlineData(0.1, false)]
    [InlineData(0.3, true)]
    public void Robust_KnownLogits_LossAndGradientsMatchTheClosedForm(double epsilon, bool weighted)
    {
        // ℓ(h) = ((1 − ε)(−log σ(βh)) + ε log σ(−βh)) / (1 − 2ε);  ℓ'(h) = −β((1 − ε)(1 − σ(βh)) + ε σ(βh)) / (1 − 2ε)
        var actual = Run(h => DpoLosses.Robust(h, Beta, epsilon), weighted);
        ShouldMatch(actual,
            h => (-(1 - epsilon) * LogSigmoid(Beta * h) + epsilon * LogSigmoid(-Beta * h)) / (1 - 2 * epsilon),
            h => -Beta * ((1 - epsilon) * (1 - Sigmoid(Beta * h)) + epsilon * Sigmoid(Beta * h)) / (1 - 2 * epsilon),
            weighted);
    }

    [Fact]
    public void Robust_NoNoise_IsTheSigmoidLoss()
    {
        Run(h => DpoLosses.Robust(h, Beta, 0), weighted: true).Loss.ShouldBe(Run(h => DpoLosses.Sigmoid(h, Beta), weighted: true).Loss, 1e-12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ipo_KnownLogits_LossAndGradientsMatchTheClosedForm(bool weighted)
    {
        // ℓ(h) = (h − 1/(2β))²;  ℓ'(h) = 2(h − 1/(2β))
        var actual = Run(h => DpoLosses.Ipo(h, Beta), weighted);
        ShouldMatch(actual, h => Math.Pow(h - 1 / (2 * Beta), 2), h => 2 * (h - 1 / (2 * Beta)), weighted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Nll_ChosenLogProbsAndLengths_IsTheWeightedPerTokenNegativeLogLikelihood(bool weighted)
    {
        double[] tokens = [3, 5, 1, 8];
        using var scope = NewDisposeScope();
        var chosen = tensor(PolicyChosen, requires_grad: true);

        var nll = DpoLosses.Nll(chosen, tensor(tokens), weighted ? tensor(Weights) : null);
        nll.backward();

        // −Σ w_i log π_i / Σ w_i n_i;  ∂/∂ log π_i = −w_i / Σ w_j n_j
        var w = weighted ? Weights : [1.0, 1, 1, 1];
        var perToken = w.Select((x, i) => x * tokens[i]).Sum();
        nll.item<double>().ShouldBe(-PolicyChosen.Select((c, i) => w[i] * c).Sum() / perToken, 1e-12);
        var grad = chosen.grad!.data<double>().ToArray();
        for (var i = 0; i < grad.Length; i++) grad[i].ShouldBe(-w[i] / perToken, 1e-12);
    }

    [Fact]
    public void WeightedMean_RankingPairsSharingOneExample_CountAsOnePairwiseExample()
    {
        using var scope = NewDisposeScope();
        // one pairwise pair (weight 1, loss 3) and a ranking of three responses: three pairs of weight 1/3 (losses 0, 1, 2)
        var mean = DpoLosses.WeightedMean(tensor(new[] { 3.0, 0, 1, 2 }), tensor(new[] { 1.0, 1 / 3.0, 1 / 3.0, 1 / 3.0 }));
        mean.item<double>().ShouldBe((3 + (0 + 1 + 2) / 3.0) / 2, 1e-12);
    }

    [Fact]
    public void Sigmoid_HugeLogits_StaysFinite()
    {
        using var scope = NewDisposeScope();
        var losses = DpoLosses.Sigmoid(tensor(new[] { -4000f, 4000f }), 0.1, 0.1);
        losses.data<float>().ToArray().ShouldBe([360f, 40f], 1e-2f);  // (1 − ε)·400 and ε·400: log σ computed stably
    }

    [Fact]
    public void ForType_UnknownLossType_NamesTheField()
    {
        using var scope = NewDisposeScope();
        Should.Throw<ArgumentException>(() => DpoLosses.ForType("hinge", tensor(new[] { 1f }), 0.1, 0)).Message.ShouldContain("loss_type");
    }
}
