using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Torch.Tests;

// Every differentiable op the models use: autograd against finite differences.
public class GradientTests
{
    private static (double[], long[]) R(int seed, params long[] shape) =>
        (GradCheck.Random((int)shape.Aggregate(1L, (a, b) => a * b), seed), shape);

    [Fact]
    public void MatMul_and_Linear_match_finite_differences()
    {
        GradCheck.Check(x => x[0].MatMul(x[1]), R(1, 2, 3, 4), R(2, 4, 5));
        GradCheck.Check(x => Functional.Linear(x[0], x[1], x[2]), R(3, 2, 3), R(4, 4, 3), R(5, 4));
    }

    [Fact]
    public void Elementwise_activations_match_finite_differences()
    {
        GradCheck.Check(x => x[0].Gelu(tanhApproximation: true), R(1, 7));
        GradCheck.Check(x => x[0].Gelu(), R(2, 7));
        GradCheck.Check(x => x[0].Silu(), R(3, 7));
        GradCheck.Check(x => x[0].LogSigmoid(), R(4, 7));
        GradCheck.Check(x => x[0].Tanh() * x[1].Exp() + x[0].Sigmoid() / (x[1].Square() + 1), R(5, 6), R(6, 6));
        GradCheck.Check(x => (x[0].Square() + 0.5).Sqrt().Log() - x[0].Pow(3.0), R(7, 6));
    }

    [Fact]
    public void Softmax_family_matches_finite_differences()
    {
        GradCheck.Check(x => x[0].Softmax(-1), R(1, 3, 4));
        GradCheck.Check(x => x[0].LogSoftmax(-1), R(2, 3, 4));
        GradCheck.Check(x => x[0].LogSumExp(1), R(3, 3, 4));
    }

    [Fact]
    public void Norms_match_finite_differences()
    {
        GradCheck.Check(x => Functional.LayerNorm(x[0], x[1], x[2]), R(1, 2, 5), R(2, 5), R(3, 5));
        GradCheck.Check(x => Functional.RmsNorm(x[0], x[1]), R(4, 2, 5), R(5, 5));
    }

    [Fact]
    public void Embedding_gather_and_masked_fill_match_finite_differences()
    {
        using var scope = DisposeScope.Enter();
        var ids = Tensor.From([2L, 0, 2, 1], [2, 2]);
        GradCheck.Check(x => Functional.Embedding(ids, x[0]), R(1, 3, 4));
        var index = Tensor.From([1L, 0, 2, 2], [2, 2]);
        GradCheck.Check(x => x[0].Gather(1, index), R(2, 2, 3));
        var mask = Tensor.From([true, false, false, true, false, true], [2, 3]);
        GradCheck.Check(x => x[0].MaskedFill(mask, 0.0), R(3, 2, 3));
    }

    [Fact]
    public void Causal_attention_matches_finite_differences()
    {
        // (B, H, T, D) = (1, 2, 3, 4)
        GradCheck.Check(x => Functional.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true), R(1, 1, 2, 3, 4), R(2, 1, 2, 3, 4), R(3, 1, 2, 3, 4));
    }

    [Fact]
    public void Rotary_matches_finite_differences()
    {
        using var scope = DisposeScope.Enter();
        var angles = Tensor.From(GradCheck.Random(12, 9, 3), [1, 1, 3, 4]);
        var (cos, sin) = (angles.Cos(), angles.Sin());
        GradCheck.Check(x => Functional.ApplyRotary(x[0], cos, sin), R(1, 1, 2, 3, 4));
    }

    [Fact]
    public void Losses_match_finite_differences()
    {
        using var scope = DisposeScope.Enter();
        var target = Tensor.From([2L, -100, 0, 1]);
        GradCheck.Check(x => Functional.CrossEntropy(x[0], target), R(1, 4, 3));
        GradCheck.Check(x => Functional.CrossEntropy(x[0], target, labelSmoothing: 0.1, reduction: Reduction.Sum), R(2, 4, 3));
        GradCheck.Check(x => Functional.MseLoss(x[0], x[1]), R(3, 5), R(4, 5));
    }

    [Fact]
    public void Shape_ops_pass_gradients_through()
    {
        GradCheck.Check(x => Tensor.Cat([x[0], x[1].Mul(2.0)], 1).Permute(1, 0).Reshape(-1).Narrow(0, 1, 6), R(1, 2, 2), R(2, 2, 3));
        GradCheck.Check(x => Tensor.Stack([x[0], x[1]], 0).Transpose(0, 1).Contiguous().View(-1).CumSum(0), R(3, 3), R(4, 3));
        GradCheck.Check(x => Tensor.Where(x[0].Gt(0), x[0], x[1]).Sum(0).Mean(), R(5, 2, 3), R(6, 2, 3));
    }
}
