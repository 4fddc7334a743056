namespace PreferenceStudio.Torch;

// Reductions, the softmax family, cumsum, argmax, topk, sort.
public sealed partial class Tensor
{
    public Tensor Sum() => new(NativeMethods.ps_sum(Handle));
    public Tensor Mean() => new(NativeMethods.ps_mean(Handle));
    public Tensor Max() => new(NativeMethods.ps_max_all(Handle));
    public Tensor Min() => new(NativeMethods.ps_min_all(Handle));

    public unsafe Tensor Sum(ReadOnlySpan<long> dims, bool keepDim = false)
    {
        fixed (long* p = dims) return new Tensor(NativeMethods.ps_sum_dims(Handle, p, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor Sum(long dim, bool keepDim = false) => Sum([dim], keepDim);

    public unsafe Tensor Mean(ReadOnlySpan<long> dims, bool keepDim = false)
    {
        fixed (long* p = dims) return new Tensor(NativeMethods.ps_mean_dims(Handle, p, dims.Length, keepDim ? 1 : 0));
    }

    public Tensor Mean(long dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>Maximum values and their indices along a dimension.</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        NativeMethods.Check(NativeMethods.ps_max_dim(Handle, dim, keepDim ? 1 : 0, out var values, out var indices));
        return (new Tensor(values), new Tensor(indices));
    }

    public Tensor AMax(long dim, bool keepDim = false) => new(NativeMethods.ps_amax(Handle, dim, keepDim ? 1 : 0));

    public Tensor LogSumExp(long dim, bool keepDim = false) => new(NativeMethods.ps_logsumexp(Handle, dim, keepDim ? 1 : 0));

    /// <summary>The 2-norm of all elements.</summary>
    public Tensor Norm() => new(NativeMethods.ps_norm(Handle));

    public Tensor Softmax(long dim) => new(NativeMethods.ps_softmax(Handle, dim));

    public Tensor LogSoftmax(long dim) => new(NativeMethods.ps_log_softmax(Handle, dim));

    public Tensor CumSum(long dim) => new(NativeMethods.ps_cumsum(Handle, dim));

    public Tensor ArgMax(long dim, bool keepDim = false) => new(NativeMethods.ps_argmax(Handle, dim, keepDim ? 1 : 0));

    /// <summary>Index of the maximum over all elements (flattened).</summary>
    public Tensor ArgMax() => new(NativeMethods.ps_argmax_all(Handle));

    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true, bool sorted = true)
    {
        NativeMethods.Check(NativeMethods.ps_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var values, out var indices));
        return (new Tensor(values), new Tensor(indices));
    }

    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        NativeMethods.Check(NativeMethods.ps_sort(Handle, dim, descending ? 1 : 0, out var values, out var indices));
        return (new Tensor(values), new Tensor(indices));
    }

    /// <summary>torch.multinomial over the last dimension of (unnormalized) probabilities, seeded.</summary>
    public Tensor Multinomial(long numSamples, bool replacement = false) =>
        new(NativeMethods.ps_multinomial(Handle, numSamples, replacement ? 1 : 0));

    /// <summary>Draws 0/1 with this tensor as the probabilities.</summary>
    public Tensor Bernoulli() => new(NativeMethods.ps_bernoulli(Handle));
}
