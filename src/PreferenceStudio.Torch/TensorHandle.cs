using System.Runtime.InteropServices;

namespace PreferenceStudio.Torch;

/// <summary>Owns one native at::Tensor handle; frees it exactly once, from Dispose or the finalizer.</summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long live;
    private static long created;
    private static long disposed;

    /// <summary>Stands for "no tensor" where an export takes an optional tensor.</summary>
    internal static readonly TensorHandle Null = new();

    internal TensorHandle() : base(IntPtr.Zero, ownsHandle: false) { }

    internal TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Interlocked.Increment(ref live);
        Interlocked.Increment(ref created);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal static long Live => Interlocked.Read(ref live);
    internal static long Created => Interlocked.Read(ref created);
    internal static long Disposed => Interlocked.Read(ref disposed);

    protected override bool ReleaseHandle()
    {
        NativeMethods.ps_tensor_free(handle);
        Interlocked.Decrement(ref live);
        Interlocked.Increment(ref disposed);
        return true;
    }
}
