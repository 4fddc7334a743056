namespace PreferenceStudio.Torch;

/// <summary>Process-wide libtorch settings: seeds, threads, CUDA, grad mode.</summary>
public static class TorchRuntime
{
    /// <summary>Seeds libtorch's CPU and CUDA generators (torch.manual_seed): randn, dropout, multinomial.</summary>
    public static void ManualSeed(ulong seed) => NativeMethods.Check(NativeMethods.ps_manual_seed(seed));

    public static bool CudaIsAvailable => NativeMethods.Check(NativeMethods.ps_cuda_is_available()) == 1;

    public static int CudaDeviceCount => NativeMethods.Check(NativeMethods.ps_cuda_device_count());

    /// <summary>Intra-op threads libtorch uses (defaults to the number of cores).</summary>
    public static int NumThreads
    {
        get => NativeMethods.Check(NativeMethods.ps_get_num_threads());
        set => NativeMethods.Check(NativeMethods.ps_set_num_threads(value));
    }

    /// <summary>The libtorch version the shim was compiled against.</summary>
    public static Version TorchVersion
    {
        get
        {
            NativeMethods.Check(NativeMethods.ps_torch_version(out var major, out var minor, out var patch));
            return new Version(major, minor, patch);
        }
    }

    /// <summary>"cuda" when a GPU is present, else "cpu".</summary>
    public static Device DefaultDevice => CudaIsAvailable ? Device.Cuda() : Device.Cpu;

    /// <summary>Whether autograd records operations on this thread.</summary>
    public static bool IsGradEnabled => NativeMethods.ps_is_grad_enabled() == 1;

    /// <summary>torch.no_grad(): <c>using (TorchRuntime.NoGrad()) { ... }</c>; restores the previous mode.</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>torch.enable_grad().</summary>
    public static GradModeScope EnableGrad() => new(true);
}

/// <summary>Sets the thread's grad mode for its lifetime, then restores the previous one.</summary>
public readonly struct GradModeScope : IDisposable, IEquatable<GradModeScope>
{
    private readonly bool previous;

    internal GradModeScope(bool enabled)
    {
        previous = NativeMethods.ps_is_grad_enabled() == 1;
        NativeMethods.ps_set_grad_enabled(enabled ? 1 : 0);
    }

    public void Dispose() => NativeMethods.ps_set_grad_enabled(previous ? 1 : 0);

    public bool Equals(GradModeScope other) => previous == other.previous;

    public override bool Equals(object? obj) => obj is GradModeScope other && Equals(other);

    public override int GetHashCode() => previous.GetHashCode();

    public static bool operator ==(GradModeScope left, GradModeScope right) => left.Equals(right);

    public static bool operator !=(GradModeScope left, GradModeScope right) => !left.Equals(right);
}
