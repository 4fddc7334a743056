namespace PreferenceStudio.Torch;

// Views, joins and indexing.
public sealed partial class Tensor
{
    public unsafe Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_view(Handle, p, shape.Length));
    }

    public unsafe Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_reshape(Handle, p, shape.Length));
    }

    /// <summary>Broadcasts size-1 dimensions to the given sizes without copying (-1 keeps a size).</summary>
    public unsafe Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_expand(Handle, p, shape.Length));
    }

    public unsafe Tensor Permute(params ReadOnlySpan<long> dims)
    {
        fixed (long* p = dims) return new Tensor(NativeMethods.ps_permute(Handle, p, dims.Length));
    }

    public Tensor Transpose(long dim0, long dim1) => new(NativeMethods.ps_transpose(Handle, dim0, dim1));

    public Tensor Unsqueeze(long dim) => new(NativeMethods.ps_unsqueeze(Handle, dim));

    public Tensor Squeeze(long dim) => new(NativeMethods.ps_squeeze(Handle, dim));

    public Tensor Flatten(long startDim = 0, long endDim = -1) => new(NativeMethods.ps_flatten(Handle, startDim, endDim));

    /// <summary>The slice [start, start + length) along a dimension, as a view.</summary>
    public Tensor Narrow(long dim, long start, long length) => new(NativeMethods.ps_narrow(Handle, dim, start, length));

    /// <summary>x.select(dim, i): the dimension is removed.</summary>
    public Tensor Select(long dim, long index) => new(NativeMethods.ps_select(Handle, dim, index));

    public Tensor Gather(long dim, Tensor index) => new(NativeMethods.ps_gather(Handle, dim, index.Handle));

    public Tensor Scatter(long dim, Tensor index, Tensor source) => new(NativeMethods.ps_scatter(Handle, dim, index.Handle, source.Handle));

    public Tensor IndexSelect(long dim, Tensor index) => new(NativeMethods.ps_index_select(Handle, dim, index.Handle));

    /// <summary>Copy with <paramref name="value"/> where the (broadcast) boolean mask is true.</summary>
    public Tensor MaskedFill(Tensor mask, double value) => new(NativeMethods.ps_masked_fill(Handle, mask.Handle, value));

    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var pointers = Pointers(tensors);
        fixed (IntPtr* p = pointers)
        {
            var result = new Tensor(NativeMethods.ps_cat(p, pointers.Length, dim));
            GC.KeepAlive(tensors);
            return result;
        }
    }

    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var pointers = Pointers(tensors);
        fixed (IntPtr* p = pointers)
        {
            var result = new Tensor(NativeMethods.ps_stack(p, pointers.Length, dim));
            GC.KeepAlive(tensors);
            return result;
        }
    }
}
