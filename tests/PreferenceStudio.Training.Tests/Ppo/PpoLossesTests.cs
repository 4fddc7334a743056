using PreferenceStudio.Training.Ppo;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Tests.Ppo;

public class PpoLossesTests
{
    private static double[] Row(Tensor t, int row) => t.select(0, row).to(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void Gae_ShortTrajectoryAndAPaddedRow_MatchesTheBackwardRecursionByHand()
    {
        using var scope = NewDisposeScope();
        // Row 0: three tokens, the reward at the end. Row 1: two tokens, then padding holding garbage.
        var rewards = tensor(new double[] { 0, 0, 1, 0.2, -0.5, 9 }, [2, 3]);
        var values = tensor(new double[] { 0.5, 0.4, 0.3, 0.1, 0.6, 7 }, [2, 3]);
        var mask = tensor(new[] { true, true, true, true, true, false }, [2, 3]);

        var (advantages, returns) = PpoLosses.Gae(rewards, values, mask, gamma: 0.9, lam: 0.8);

        // γλ = 0.72. Row 0: δ2 = 1 − 0.3 = 0.7; δ1 = 0.9·0.3 − 0.4 = −0.13; δ0 = 0.9·0.4 − 0.5 = −0.14.
        //   Â2 = 0.7, Â1 = −0.13 + 0.72·0.7 = 0.374, Â0 = −0.14 + 0.72·0.374 = 0.12928.
        Row(advantages, 0).ShouldBe([0.12928, 0.374, 0.7], 1e-12);
        Row(returns, 0).ShouldBe([0.62928, 0.774, 1.0], 1e-12);
        // Row 1 ends at its second token: V past it is 0, not the 7 in the padding.
        //   δ1 = −0.5 − 0.6 = −1.1; δ0 = 0.2 + 0.9·0.6 − 0.1 = 0.64; Â0 = 0.64 + 0.72·(−1.1) = −0.152.
        Row(advantages, 1).ShouldBe([-0.152, -1.1, 0], 1e-12);
        Row(returns, 1).ShouldBe([-0.052, -0.5, 0], 1e-12);
    }

    [Fact]
    public void Gae_GammaAndLambdaOne_IsTheRewardToGoMinusTheValue()
    {
        using var scope = NewDisposeScope();
        var rewards = tensor(new double[] { 1, -2, 0.5, 3 }, [1, 4]);
        var values = tensor(new double[] { 0.3, -0.1, 2, 0.25 }, [1, 4]);
        var mask = ones([1, 4], ScalarType.Bool);

        var (advantages, returns) = PpoLosses.Gae(rewards, values, mask, 1, 1);

        Row(advantages, 0).ShouldBe([2.5 - 0.3, 1.5 + 0.1, 3.5 - 2, 3 - 0.25], 1e-12);
        Row(returns, 0).ShouldBe([2.5, 1.5, 3.5, 3], 1e-12);
    }

    [Fact]
    public void Whiten_MaskedValues_HaveMeanZeroAndUnitVarianceOverTheMaskOnly()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new double[] { 1, 2, 3, 4, 100, double.NaN }, [2, 3]);
        var mask = tensor(new[] { true, true, true, true, false, false }, [2, 3]);
        var sd = Math.Sqrt(5.0 / 3);                                                  // unbiased: Σ(x − 2.5)² / 3

        PpoLosses.MaskedMean(values, mask).item<double>().ShouldBe(2.5, 1e-12);
        PpoLosses.MaskedVar(values, mask).item<double>().ShouldBe(5.0 / 3, 1e-12);
        var whitened = PpoLosses.Whiten(values, mask);
        Row(whitened, 0).ShouldBe([-1.5 / sd, -0.5 / sd, 0.5 / sd], 1e-7);
        Row(whitened, 1).ShouldBe([1.5 / sd, 0, 0], 1e-7);
        var kept = PpoLosses.Whiten(values, mask, shiftMean: false);
        Row(kept, 0).ShouldBe([2.5 - 1.5 / sd, 2.5 - 0.5 / sd, 2.5 + 0.5 / sd], 1e-7);
        Row(kept, 1)[1].ShouldBe(0);
    }

    [Fact]
    public void PolicyLoss_KnownRatiosAndAdvantages_LossGradientAndClipFractionMatchTheClosedForm()
    {
        using var scope = NewDisposeScope();
        // Per token: log ρ and Â. ε = 0.2. The last token is padding with an absurd ratio.
        double[] logRatio = [0.1, 0.5, 0.5, -0.5, -0.5, 30];
        double[] advantage = [1, 1, -2, -1, 2, 5];
        var old = tensor(new double[] { -1, -2, -0.5, -3, -1.5, -2 });
        var logProbs = (old + tensor(logRatio)).detach().requires_grad_(true);
        var mask = tensor(new[] { true, true, true, true, true, false });

        var (loss, clipFraction) = PpoLosses.PolicyLoss(logProbs, old, tensor(advantage), mask, 0.2);
        loss.backward();

        // max(−Âρ, −Â clip(ρ)): token 0 in range; 1 (Â > 0, ρ > 1.2) and 3 (Â < 0, ρ < 0.8) clipped, gradient 0;
        // 2 (Â < 0, ρ > 1.2) and 4 (Â > 0, ρ < 0.8) are pessimistic on the unclipped side, gradient −Âρ / n.
        double R(int i) => Math.Exp(logRatio[i]);
        double[] terms = [-R(0), -1.2, 2 * R(2), 0.8, -2 * R(4)];
        loss.item<double>().ShouldBe(terms.Average(), 1e-12);
        clipFraction.item<double>().ShouldBe(2.0 / 5, 1e-12);
        logProbs.grad!.data<double>().ToArray().ShouldBe([-R(0) / 5, 0, 2 * R(2) / 5, 0, -2 * R(4) / 5, 0], 1e-12);
    }

    [Fact]
    public void ValueLoss_KnownValues_LossGradientAndClipFractionMatchTheClosedForm()
    {
        using var scope = NewDisposeScope();
        double[] v = [1.0, 1.5, 1.5, 0.0, 40];
        double[] old = [0.9, 1.0, 1.0, 1.0, 0];
        double[] target = [1.5, 2.0, 0.0, 0.5, -40];
        var values = tensor(v, requires_grad: true);
        var mask = tensor(new[] { true, true, true, true, false });

        var (loss, clipFraction) = PpoLosses.ValueLoss(values, tensor(old), tensor(target), mask, 0.2);
        loss.backward();

        // V_clip = V_old + clip(V − V_old, ±0.2): 1.0, 1.2, 1.2, 0.8. Token 1's clipped error (0.64 > 0.25) is the
        // larger, and its gradient is 0 (V_clip is flat in V there); the others take the unclipped (V − R)².
        double[] errors = [0.25, 0.64, 2.25, 0.25];
        loss.item<double>().ShouldBe(0.5 * errors.Average(), 1e-12);
        clipFraction.item<double>().ShouldBe(1.0 / 4, 1e-12);
        values.grad!.data<double>().ToArray().ShouldBe([-0.5 / 4, 0, 1.5 / 4, -0.5 / 4, 0], 1e-12);
    }

    [Fact]
    public void Kl_K1AndK3_AtEveryTokenWeightedByThePolicy_AverageToTheExactKl()
    {
        using var scope = NewDisposeScope();
        // A categorical policy p and reference q: E_{x∼p}[k(x)] = KL(p ‖ q) for both estimators.
        double[] p = [0.5, 0.3, 0.15, 0.05];
        double[] q = [0.25, 0.25, 0.25, 0.25];
        var exact = p.Select((pi, i) => pi * Math.Log(pi / q[i])).Sum();
        var logP = tensor(p).log();
        var logQ = tensor(q).log();

        var k1 = PpoLosses.Kl(logP, logQ, KlEstimator.K1).data<double>().ToArray();
        var k3 = PpoLosses.Kl(logP, logQ, KlEstimator.K3).data<double>().ToArray();

        k1.ShouldBe(p.Select((pi, i) => Math.Log(pi / q[i])).ToArray(), 1e-12);
        k3.ShouldBe(p.Select((pi, i) => q[i] / pi - 1 - Math.Log(q[i] / pi)).ToArray(), 1e-12);
        k1.Select((k, i) => p[i] * k).Sum().ShouldBe(exact, 1e-12);
        k3.Select((k, i) => p[i] * k).Sum().ShouldBe(exact, 1e-12);
        k3.ShouldAllBe(k => k >= 0);                                                   // k3 never negative
        k1.ShouldContain(k => k < 0);                                                  // k1 can be
        Should.Throw<ArgumentException>(() => PpoLosses.Kl(logP, logQ, "k2")).Message.ShouldContain("got 'k2'");
    }

    [Fact]
    public void Rewards_ScoreMinusBetaKl_ZeroOnPadding()
    {
        using var scope = NewDisposeScope();
        var scores = tensor(new double[] { 0, 0, 2, 5 }, [2, 2]);
        var kl = tensor(new double[] { 0.5, -0.2, 1, 3 }, [2, 2]);
        var mask = tensor(new[] { true, true, true, false }, [2, 2]);

        var rewards = PpoLosses.Rewards(scores, kl, 0.1, mask);

        rewards.data<double>().ToArray().ShouldBe([-0.05, 0.02, 1.9, 0], 1e-12);
    }

    [Fact]
    public void ApproxKl_IsHalfTheMeanSquaredLogRatioOverTheMask()
    {
        using var scope = NewDisposeScope();
        var value = PpoLosses.ApproxKl(tensor(new double[] { -1, -2, 5 }), tensor(new double[] { -1.2, -1.5, 0 }), tensor(new[] { true, true, false }));

        value.item<double>().ShouldBe(0.5 * (0.04 + 0.25) / 2, 1e-12);
    }
}
