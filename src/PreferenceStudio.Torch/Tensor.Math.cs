namespace PreferenceStudio.Torch;

// Elementwise math, matmul, comparisons, where; conversions between dtypes and devices.
public sealed partial class Tensor
{
    private enum Comparison { Eq, Ne, Lt, Le, Gt, Ge }

    public Tensor To(ScalarType dtype) => new(NativeMethods.ps_to(Handle, (int)dtype, (int)Device.Type, Device.Index));

    public Tensor To(Device device) => new(NativeMethods.ps_to(Handle, (int)DType, (int)device.Type, device.Index));

    public Tensor To(Device device, ScalarType dtype) => new(NativeMethods.ps_to(Handle, (int)dtype, (int)device.Type, device.Index));

    public Tensor Clone() => new(NativeMethods.ps_clone(Handle));

    /// <summary>Same data, cut from the autograd graph.</summary>
    public Tensor Detach() => new(NativeMethods.ps_detach(Handle));

    public Tensor Contiguous() => new(NativeMethods.ps_contiguous(Handle));

    public Tensor Neg() => new(NativeMethods.ps_neg(Handle));
    public Tensor Exp() => new(NativeMethods.ps_exp(Handle));
    public Tensor Log() => new(NativeMethods.ps_log(Handle));
    public Tensor Sqrt() => new(NativeMethods.ps_sqrt(Handle));
    public Tensor Rsqrt() => new(NativeMethods.ps_rsqrt(Handle));
    public Tensor Abs() => new(NativeMethods.ps_abs(Handle));
    public Tensor Square() => new(NativeMethods.ps_square(Handle));
    public Tensor Reciprocal() => new(NativeMethods.ps_reciprocal(Handle));
    public Tensor Sin() => new(NativeMethods.ps_sin(Handle));
    public Tensor Cos() => new(NativeMethods.ps_cos(Handle));
    public Tensor Tanh() => new(NativeMethods.ps_tanh(Handle));
    public Tensor Sigmoid() => new(NativeMethods.ps_sigmoid(Handle));
    public Tensor Relu() => new(NativeMethods.ps_relu(Handle));
    public Tensor Silu() => new(NativeMethods.ps_silu(Handle));
    public Tensor LogSigmoid() => new(NativeMethods.ps_log_sigmoid(Handle));
    public Tensor Softplus() => new(NativeMethods.ps_softplus(Handle));
    public Tensor LogicalNot() => new(NativeMethods.ps_logical_not(Handle));
    public Tensor IsNan() => new(NativeMethods.ps_isnan(Handle));

    /// <summary>GELU; <paramref name="tanhApproximation"/> is GPT-2's "gelu_new".</summary>
    public Tensor Gelu(bool tanhApproximation = false) => new(NativeMethods.ps_gelu(Handle, tanhApproximation ? 1 : 0));

    public Tensor Add(Tensor other, double alpha = 1) => new(NativeMethods.ps_add(Handle, other.Handle, alpha));
    public Tensor Sub(Tensor other, double alpha = 1) => new(NativeMethods.ps_sub(Handle, other.Handle, alpha));
    public Tensor Mul(Tensor other) => new(NativeMethods.ps_mul(Handle, other.Handle));
    public Tensor Div(Tensor other) => new(NativeMethods.ps_div(Handle, other.Handle));
    public Tensor Pow(Tensor exponent) => new(NativeMethods.ps_pow(Handle, exponent.Handle));
    public Tensor Maximum(Tensor other) => new(NativeMethods.ps_maximum(Handle, other.Handle));
    public Tensor Minimum(Tensor other) => new(NativeMethods.ps_minimum(Handle, other.Handle));
    public Tensor LogicalAnd(Tensor other) => new(NativeMethods.ps_logical_and(Handle, other.Handle));
    public Tensor LogicalOr(Tensor other) => new(NativeMethods.ps_logical_or(Handle, other.Handle));

    public Tensor Add(double s) => new(NativeMethods.ps_add_scalar(Handle, s));
    public Tensor Sub(double s) => new(NativeMethods.ps_add_scalar(Handle, -s));
    public Tensor Mul(double s) => new(NativeMethods.ps_mul_scalar(Handle, s));
    public Tensor Div(double s) => new(NativeMethods.ps_div_scalar(Handle, s));
    public Tensor Pow(double exponent) => new(NativeMethods.ps_pow_scalar(Handle, exponent));

    /// <summary>s - this.</summary>
    public Tensor RSub(double s) => new(NativeMethods.ps_rsub_scalar(Handle, s));

    public Tensor Clamp(double? min = null, double? max = null) =>
        new(NativeMethods.ps_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0));

    /// <summary>Matrix product with broadcasting over leading dimensions.</summary>
    public Tensor MatMul(Tensor other) => new(NativeMethods.ps_matmul(Handle, other.Handle));

    /// <summary>Lower triangle (torch.tril); entries above the <paramref name="diagonal"/> become zero.</summary>
    public Tensor Tril(long diagonal = 0) => new(NativeMethods.ps_tril(Handle, diagonal));
    public Tensor Triu(long diagonal = 0) => new(NativeMethods.ps_triu(Handle, diagonal));

    public Tensor Eq(Tensor other) => Compare(other, Comparison.Eq);
    public Tensor Ne(Tensor other) => Compare(other, Comparison.Ne);
    public Tensor Lt(Tensor other) => Compare(other, Comparison.Lt);
    public Tensor Le(Tensor other) => Compare(other, Comparison.Le);
    public Tensor Gt(Tensor other) => Compare(other, Comparison.Gt);
    public Tensor Ge(Tensor other) => Compare(other, Comparison.Ge);
    public Tensor Eq(double other) => Compare(other, Comparison.Eq);
    public Tensor Ne(double other) => Compare(other, Comparison.Ne);
    public Tensor Lt(double other) => Compare(other, Comparison.Lt);
    public Tensor Le(double other) => Compare(other, Comparison.Le);
    public Tensor Gt(double other) => Compare(other, Comparison.Gt);
    public Tensor Ge(double other) => Compare(other, Comparison.Ge);

    private Tensor Compare(Tensor other, Comparison op) => new(NativeMethods.ps_compare(Handle, other.Handle, (int)op));
    private Tensor Compare(double other, Comparison op) => new(NativeMethods.ps_compare_scalar(Handle, other, (int)op));

    /// <summary>torch.where(condition, a, b): a where the condition holds, else b.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b) =>
        new(NativeMethods.ps_where(condition.Handle, a.Handle, b.Handle));

    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8) =>
        NativeMethods.Check(NativeMethods.ps_allclose(Handle, other.Handle, rtol, atol)) == 1;

    // In-place updates (PyTorch's trailing underscore). Use under TorchRuntime.NoGrad() on parameters.
    public Tensor CopyFrom(Tensor source) { NativeMethods.Check(NativeMethods.ps_copy_(Handle, source.Handle)); return this; }
    public Tensor Zero_() { NativeMethods.Check(NativeMethods.ps_zero_(Handle)); return this; }
    public Tensor Fill_(double value) { NativeMethods.Check(NativeMethods.ps_fill_(Handle, value)); return this; }
    public Tensor Add_(Tensor other, double alpha = 1) { NativeMethods.Check(NativeMethods.ps_add_(Handle, other.Handle, alpha)); return this; }
    public Tensor Mul_(double s) { NativeMethods.Check(NativeMethods.ps_mul_scalar_(Handle, s)); return this; }
    public Tensor Normal_(double mean = 0, double std = 1) { NativeMethods.Check(NativeMethods.ps_normal_(Handle, mean, std)); return this; }
    public Tensor Uniform_(double from = 0, double to = 1) { NativeMethods.Check(NativeMethods.ps_uniform_(Handle, from, to)); return this; }

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator +(Tensor a, double s) => a.Add(s);
    public static Tensor operator +(double s, Tensor a) => a.Add(s);
    public static Tensor operator -(Tensor a, double s) => a.Sub(s);
    public static Tensor operator -(double s, Tensor a) => a.RSub(s);
    public static Tensor operator *(Tensor a, double s) => a.Mul(s);
    public static Tensor operator *(double s, Tensor a) => a.Mul(s);
    public static Tensor operator /(Tensor a, double s) => a.Div(s);
}
