namespace PreferenceStudio.Torch.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay, as torch.optim.AdamW. One native call
/// updates every parameter. By default only matrices (dim ≥ 2: linear and embedding weights) decay; biases and
/// norm scales do not (the nanoGPT / GPT-3 recipe).
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly Tensor[] parameters;
    private readonly Tensor[] expAvg;
    private readonly Tensor[] expAvgSq;
    private readonly double[] weightDecay;

    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01, bool decayOnlyMatrices = true)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        LearningRate = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        using var noGrad = TorchRuntime.NoGrad();
        expAvg = Array.ConvertAll(this.parameters, p => p.ZerosLike().DetachFromScope());
        expAvgSq = Array.ConvertAll(this.parameters, p => p.ZerosLike().DetachFromScope());
        this.weightDecay = Array.ConvertAll(this.parameters, p => !decayOnlyMatrices || p.Dim >= 2 ? weightDecay : 0.0);
    }

    /// <summary>Set it before each <see cref="Step"/> to follow a schedule.</summary>
    public double LearningRate { get; set; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    /// <summary>Steps taken so far (Adam's t, which drives the bias correction).</summary>
    public long StepCount { get; private set; }

    public IReadOnlyList<Tensor> Parameters => parameters;

    public unsafe void Step()
    {
        StepCount++;
        var p = Tensor.Pointers(parameters);
        var m = Tensor.Pointers(expAvg);
        var v = Tensor.Pointers(expAvgSq);
        fixed (IntPtr* pp = p)
        fixed (IntPtr* mp = m)
        fixed (IntPtr* vp = v)
        fixed (double* wd = weightDecay)
            NativeMethods.Check(NativeMethods.ps_adamw_step(pp, mp, vp, wd, p.Length, LearningRate, Beta1, Beta2, Eps, StepCount));
        GC.KeepAlive(parameters);
        GC.KeepAlive(expAvg);
        GC.KeepAlive(expAvgSq);
    }

    /// <summary>Drops the gradients (set to none), as optimizer.zero_grad().</summary>
    public void ZeroGrad() => Tensor.ZeroGrad(parameters);

    public void Dispose()
    {
        foreach (var t in expAvg) t.Dispose();
        foreach (var t in expAvgSq) t.Dispose();
    }
}
