namespace PreferenceStudio.Torch.NN;

/// <summary>Reduction of a per-element loss (torch's reduction="none" | "mean" | "sum").</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

/// <summary>torch.nn.functional: stateless layers and losses.</summary>
public static class Functional
{
    /// <summary>y = x W^T + b. x: (..., in), W: (out, in), b: (out) or null.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) =>
        new(NativeMethods.ps_linear(x.Handle, weight.Handle, Tensor.HandleOrNull(bias)));

    /// <summary>Rows of <paramref name="weight"/> (V, C) picked by integer <paramref name="indices"/>: (..., C).</summary>
    public static Tensor Embedding(Tensor indices, Tensor weight) =>
        new(NativeMethods.ps_embedding(weight.Handle, indices.Handle));

    /// <summary>Layer normalization (Ba et al. 2016) over the last dimension.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, double eps = 1e-5) =>
        new(NativeMethods.ps_layer_norm(x.Handle, Tensor.HandleOrNull(weight), Tensor.HandleOrNull(bias), eps));

    /// <summary>RMS normalization over the last dimension, computed in float32 as Llama does.</summary>
    public static Tensor RmsNorm(Tensor x, Tensor? weight, double eps = 1e-6) =>
        new(NativeMethods.ps_rms_norm(x.Handle, Tensor.HandleOrNull(weight), eps));

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1-p); identity when not training.</summary>
    public static Tensor Dropout(Tensor x, double p, bool training) =>
        new(NativeMethods.ps_dropout(x.Handle, p, training ? 1 : 0));

    /// <summary>Cross-entropy of logits (N, C) against class indices (N); targets equal to
    /// <paramref name="ignoreIndex"/> contribute nothing (the mean is over the others).</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, long ignoreIndex = -100,
        Reduction reduction = Reduction.Mean, double labelSmoothing = 0) =>
        new(NativeMethods.ps_cross_entropy(logits.Handle, target.Handle, ignoreIndex, (int)reduction, labelSmoothing));

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        new(NativeMethods.ps_mse_loss(input.Handle, target.Handle, (int)reduction));

    /// <summary>
    /// softmax(q k^T / sqrt(D) + mask) v. q: (B, H, Tq, D), k and v: (B, H, Tk, D) → (B, H, Tq, D).
    /// <paramref name="mask"/>: bool broadcastable to (B, H, Tq, Tk), true where attending is allowed.
    /// Causal attention aligns the Tq queries with the last Tq keys (the KV-cache case).
    /// Composed of matmul + mask + softmax on libtorch 1.x, scaled_dot_product_attention on 2.x.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor? mask = null,
        bool isCausal = false, double dropoutP = 0, bool training = false) =>
        new(NativeMethods.ps_attention(q.Handle, k.Handle, v.Handle, Tensor.HandleOrNull(mask), isCausal ? 1 : 0, dropoutP, training ? 1 : 0));

    /// <summary>Rotary position embedding, "rotate half" layout: x * cos + rotate_half(x) * sin.</summary>
    public static Tensor ApplyRotary(Tensor x, Tensor cos, Tensor sin) =>
        new(NativeMethods.ps_rotary(x.Handle, cos.Handle, sin.Handle));

    public static Tensor Softmax(Tensor x, long dim) => x.Softmax(dim);

    public static Tensor LogSoftmax(Tensor x, long dim) => x.LogSoftmax(dim);

    public static Tensor Gelu(Tensor x, bool tanhApproximation = false) => x.Gelu(tanhApproximation);

    public static Tensor Silu(Tensor x) => x.Silu();

    public static Tensor LogSigmoid(Tensor x) => x.LogSigmoid();
}
