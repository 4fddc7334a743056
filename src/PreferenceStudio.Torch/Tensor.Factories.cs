namespace PreferenceStudio.Torch;

// torch.zeros, torch.ones, torch.randn, torch.arange, torch.tensor(...): every factory takes a device (CPU when null).
public sealed partial class Tensor
{
    public static unsafe Tensor Zeros(ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_zeros(p, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>Uninitialized in PyTorch; zeros here, so nothing reads garbage. Fill it with Normal_ / Uniform_.</summary>
    public static Tensor Empty(ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Zeros(shape, dtype, device);

    public static unsafe Tensor Ones(ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_ones(p, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    public static unsafe Tensor Full(ReadOnlySpan<long> shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_full(p, shape.Length, value, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>Standard normal samples from the seeded generator (<see cref="TorchRuntime.ManualSeed"/>).</summary>
    public static unsafe Tensor Randn(ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_randn(p, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static unsafe Tensor Rand(ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requiresGrad = false)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_rand(p, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }

    /// <summary>Uniform integers in [low, high).</summary>
    public static unsafe Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* p = shape) return new Tensor(NativeMethods.ps_randint(low, high, p, shape.Length, (int)dtype, (int)d.Type, d.Index));
    }

    /// <summary>[start, end) in steps; int64 unless a dtype is given.</summary>
    public static Tensor Arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return new Tensor(NativeMethods.ps_arange(start, end, step, (int)dtype, (int)d.Type, d.Index));
    }

    public static Tensor Arange(long end, ScalarType dtype = ScalarType.Int64, Device? device = null) => Arange(0, end, 1, dtype, device);

    public Tensor ZerosLike() => new(NativeMethods.ps_zeros_like(Handle));

    public Tensor OnesLike() => new(NativeMethods.ps_ones_like(Handle));

    public Tensor FullLike(double value) => new(NativeMethods.ps_full_like(Handle, value));

    /// <summary>Copies <paramref name="data"/> (row-major) into a new tensor of the given shape (1-D when null).</summary>
    public static Tensor From(ReadOnlySpan<float> data, ReadOnlySpan<long> shape = default, Device? device = null, bool requiresGrad = false) =>
        FromSpan(data, ScalarType.Float32, shape, device, requiresGrad);

    public static Tensor From(ReadOnlySpan<long> data, ReadOnlySpan<long> shape = default, Device? device = null) =>
        FromSpan(data, ScalarType.Int64, shape, device, false);

    public static Tensor From(ReadOnlySpan<double> data, ReadOnlySpan<long> shape = default, Device? device = null, bool requiresGrad = false) =>
        FromSpan(data, ScalarType.Float64, shape, device, requiresGrad);

    public static Tensor From(ReadOnlySpan<bool> data, ReadOnlySpan<long> shape = default, Device? device = null) =>
        FromSpan(data, ScalarType.Bool, shape, device, false);

    /// <summary>A zero-dimensional float32 tensor.</summary>
    public static Tensor Scalar(double value, ScalarType dtype = ScalarType.Float32, Device? device = null) => Full([], value, dtype, device);

    /// <summary>Raw little-endian bytes of the given dtype (bfloat16, float16, ... as stored in safetensors).</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> data, ScalarType dtype, ReadOnlySpan<long> shape, Device? device = null)
    {
        var count = 1L;
        foreach (var s in shape) count *= s;
        if (count * dtype.ElementSize() != data.Length)
            throw new ArgumentException($"{data.Length} bytes do not make a {dtype} tensor of shape [{string.Join(", ", shape.ToArray())}]", nameof(data));
        var d = device ?? Device.Cpu;
        fixed (byte* p = data)
        fixed (long* s = shape)
            return new Tensor(NativeMethods.ps_from_data(p, s, shape.Length, (int)dtype, (int)d.Type, d.Index, 0));
    }

    private static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ScalarType dtype, ReadOnlySpan<long> shape, Device? device, bool requiresGrad)
        where T : unmanaged
    {
        if (shape.IsEmpty) shape = new long[] { data.Length };
        var count = 1L;
        foreach (var s in shape) count *= s;
        if (count != data.Length)
            throw new ArgumentException($"{data.Length} values do not fill shape [{string.Join(", ", shape.ToArray())}]", nameof(data));
        var d = device ?? Device.Cpu;
        fixed (T* p = data)
        fixed (long* s = shape)
            return new Tensor(NativeMethods.ps_from_data(p, s, shape.Length, (int)dtype, (int)d.Type, d.Index, requiresGrad ? 1 : 0));
    }
}
