using PreferenceStudio.Torch;

namespace PreferenceStudio.Torch.Tests;

/// <summary>
/// Compares autograd's gradient of sum(f(x) * w), for a fixed random w, with central finite differences in
/// float64 (torch.autograd.gradcheck's idea).
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, params double[][] inputs) =>
        Check(f, inputs.Select(x => (x, new long[] { x.Length })).ToArray());

    public static void Check(Func<Tensor[], Tensor> f, params (double[] Data, long[] Shape)[] inputs)
    {
        using var scope = DisposeScope.Enter();
        TorchRuntime.ManualSeed(1234);
        var leaves = inputs.Select(i => Tensor.From(i.Data, i.Shape, requiresGrad: true)).ToArray();
        var output = f(leaves);
        var weights = Tensor.Randn(output.Shape, ScalarType.Float64);
        (output * weights).Sum().Backward();

        for (var n = 0; n < inputs.Length; n++)
        {
            var analytic = leaves[n].Grad!.ToArray<double>();
            const double h = 1e-6;
            for (var i = 0; i < inputs[n].Data.Length; i++)
            {
                var numeric = (Objective(f, inputs, weights, n, i, h) - Objective(f, inputs, weights, n, i, -h)) / (2 * h);
                var tolerance = 1e-5 + 1e-4 * Math.Abs(numeric);
                Math.Abs(analytic[i] - numeric).ShouldBeLessThan(tolerance, $"input {n}, element {i}: autograd {analytic[i]}, finite difference {numeric}");
            }
        }
    }

    private static double Objective(Func<Tensor[], Tensor> f, (double[] Data, long[] Shape)[] inputs, Tensor weights, int n, int i, double delta)
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = TorchRuntime.NoGrad();
        var xs = inputs.Select((input, k) =>
        {
            var data = (double[])input.Data.Clone();
            if (k == n) data[i] += delta;
            return Tensor.From(data, input.Shape);
        }).ToArray();
        return (f(xs) * weights).Sum().Item();
    }

    public static double[] Random(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => scale * (2 * random.NextDouble() - 1)).ToArray();
    }
}
