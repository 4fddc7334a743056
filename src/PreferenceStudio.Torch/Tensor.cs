using System.Runtime.InteropServices;

namespace PreferenceStudio.Torch;

/// <summary>
/// A libtorch tensor. Each instance owns one native handle, freed by <see cref="Dispose"/>, by the innermost
/// <see cref="DisposeScope"/> that was open when it was made, or at the latest by the finalizer.
/// Operation names follow PyTorch in PascalCase: <c>x.MatMul(w)</c>, <c>x.LogSoftmax(-1)</c>.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    internal Tensor(IntPtr native)
    {
        handle = new TensorHandle(NativeMethods.Check(native));
        DisposeScope.Register(this);
    }

    /// <summary>Native tensors made from C# and not yet freed.</summary>
    public static long LiveCount => TensorHandle.Live;

    /// <summary>Native tensors made from C# since the process started.</summary>
    public static long CreatedCount => TensorHandle.Created;

    /// <summary>Native tensors freed since the process started.</summary>
    public static long DisposedCount => TensorHandle.Disposed;

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    public bool IsDisposed => handle.IsClosed;

    public void Dispose() => handle.Dispose();

    /// <summary>Keeps this tensor alive past the current scope (moves it to the enclosing one, if any).</summary>
    public Tensor MoveToOuterScope()
    {
        DisposeScope.Current?.MoveToOuter(this);
        return this;
    }

    /// <summary>Takes this tensor out of every scope: the caller (a module, an optimizer) now owns it.</summary>
    public Tensor DetachFromScope()
    {
        DisposeScope.Current?.Forget(this);
        return this;
    }

    public int Dim => NativeMethods.Check(NativeMethods.ps_dim(Handle));

    public long NumEl => NativeMethods.Check(NativeMethods.ps_numel(Handle));

    public ScalarType DType => (ScalarType)NativeMethods.Check(NativeMethods.ps_dtype(Handle));

    public Device Device => new(
        (DeviceType)NativeMethods.Check(NativeMethods.ps_device_type(Handle)),
        NativeMethods.ps_device_index(Handle));

    /// <summary>The sizes, PyTorch's <c>x.shape</c>.</summary>
    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            fixed (long* p = shape) NativeMethods.Check(NativeMethods.ps_shape(Handle, p));
            return shape;
        }
    }

    /// <summary>Size of one dimension; negative counts from the end.</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? shape.Length + dim : dim];
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public double Item()
    {
        NativeMethods.Check(NativeMethods.ps_item(Handle, out var value));
        return value;
    }

    public float ItemFloat() => (float)Item();

    public long ItemInt64() => (long)Item();

    /// <summary>Copies the elements, row-major, to a new array; T must match <see cref="DType"/> in size.</summary>
    public unsafe T[] ToArray<T>() where T : unmanaged
    {
        var dtype = DType;
        if (dtype.ElementSize() != sizeof(T))
            throw new InvalidOperationException($"a {dtype} tensor cannot be read as {typeof(T).Name}");
        var data = new T[NumEl];
        fixed (T* p = data) NativeMethods.Check(NativeMethods.ps_copy_to(Handle, p, (long)data.Length * sizeof(T)));
        return data;
    }

    /// <summary>The elements as float32 (converting from any numeric dtype).</summary>
    public float[] ToFloatArray()
    {
        if (DType == ScalarType.Float32) return ToArray<float>();
        using var f = To(ScalarType.Float32);
        return f.ToArray<float>();
    }

    public long[] ToInt64Array()
    {
        if (DType == ScalarType.Int64) return ToArray<long>();
        using var l = To(ScalarType.Int64);
        return l.ToArray<long>();
    }

    public bool[] ToBoolArray()
    {
        using var b = DType == ScalarType.Bool ? Clone() : Ne(0);
        return Array.ConvertAll(b.ToArray<byte>(), v => v != 0);
    }

    /// <summary>The raw bytes, row-major, in this tensor's dtype (what safetensors stores).</summary>
    public unsafe byte[] ToBytes()
    {
        var data = new byte[NumEl * DType.ElementSize()];
        fixed (byte* p = data) NativeMethods.Check(NativeMethods.ps_copy_to(Handle, p, data.Length));
        return data;
    }

    public override string ToString()
    {
        if (handle.IsClosed) return "Tensor(disposed)";
        return $"Tensor(shape=[{string.Join(", ", Shape)}], dtype={DType}, device={Device})";
    }

    /// <summary>libtorch's own printout of the values.</summary>
    public string Format()
    {
        var s = NativeMethods.Check(NativeMethods.ps_to_string(Handle));
        try { return Marshal.PtrToStringUTF8(s) ?? ""; }
        finally { NativeMethods.ps_string_free(s); }
    }

    internal static TensorHandle HandleOrNull(Tensor? t) => t is null ? TensorHandle.Null : t.Handle;

    internal static IntPtr[] Pointers(IReadOnlyList<Tensor> tensors)
    {
        var pointers = new IntPtr[tensors.Count];
        for (var i = 0; i < pointers.Length; i++) pointers[i] = tensors[i].Handle.DangerousGetHandle();
        return pointers;
    }
}
