namespace PreferenceStudio.Torch.Optim;

public static class GradClip
{
    /// <summary>
    /// Scales the gradients so their joint 2-norm is at most <paramref name="maxNorm"/>
    /// (torch.nn.utils.clip_grad_norm_); returns the norm before clipping, worth logging.
    /// </summary>
    public static unsafe double ClipGradNorm(IReadOnlyList<Tensor> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var pointers = Tensor.Pointers(parameters);
        double total;
        fixed (IntPtr* p = pointers) NativeMethods.Check(NativeMethods.ps_clip_grad_norm(p, pointers.Length, maxNorm, out total));
        GC.KeepAlive(parameters);
        return total;
    }
}
