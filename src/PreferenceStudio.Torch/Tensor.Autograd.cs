namespace PreferenceStudio.Torch;

// Autograd: requires_grad, backward, grad.
public sealed partial class Tensor
{
    public bool RequiresGrad
    {
        get => NativeMethods.Check(NativeMethods.ps_requires_grad(Handle)) == 1;
        set => NativeMethods.Check(NativeMethods.ps_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>Sets requires_grad in place and returns this tensor (PyTorch's requires_grad_()).</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Accumulates d(this)/d(leaf) into every leaf's <see cref="Grad"/>; <paramref name="gradient"/> is
    /// required unless this is a scalar.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        NativeMethods.Check(NativeMethods.ps_backward(Handle, HandleOrNull(gradient), retainGraph ? 1 : 0));

    /// <summary>The accumulated gradient (a new handle on the same storage), or null before any backward.</summary>
    public Tensor? Grad
    {
        get
        {
            NativeMethods.Check(NativeMethods.ps_grad(Handle, out var grad));
            return grad == IntPtr.Zero ? null : new Tensor(grad);
        }
    }

    /// <summary>Swaps this tensor's data for <paramref name="source"/>'s (PyTorch's <c>p.data = source</c>):
    /// the object, and every reference to it, stays.</summary>
    public void SetData(Tensor source) => NativeMethods.Check(NativeMethods.ps_set_data(Handle, source.Handle));

    /// <summary>Drops the gradients of these tensors (zero_grad with set_to_none).</summary>
    public static unsafe void ZeroGrad(IReadOnlyList<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var pointers = Pointers(tensors);
        fixed (IntPtr* p = pointers) NativeMethods.Check(NativeMethods.ps_zero_grad(p, pointers.Length));
        GC.KeepAlive(tensors);
    }
}
