namespace PreferenceStudio.Torch.NN;

/// <summary>
/// torch.nn.Module: owns named parameters, buffers and child modules, switches train / eval, and loads or
/// exports a state dict whose keys are the dotted paths ("h.0.attn.c_attn.weight"), so checkpoints keep their
/// original tensor names. Parameters are taken out of any <see cref="DisposeScope"/>: the module frees them.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> parameters = [];
    private readonly List<(string Name, Tensor Tensor)> buffers = [];
    private readonly List<(string Name, Module Module)> children = [];
    private bool disposed;

    /// <summary>True in training mode (dropout active), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.DetachFromScope();
        tensor.RequiresGrad = true;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>State that is saved but not trained (e.g. rotary tables; pass persistent=false to skip saving).</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor, bool persistent = true)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.DetachFromScope();
        buffers.Add((persistent ? name : "~" + name, tensor));
        return tensor;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        children.Add((name, module));
        return module;
    }

    /// <summary>Every parameter with its dotted name, each tensor once (a tied weight appears under its first name).</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (name, tensor) in Walk("", m => m.parameters))
            if (seen.Add(tensor)) yield return (name, tensor);
    }

    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter).ToList();

    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() =>
        Walk("", m => m.buffers).Where(b => !b.Name.Contains('~', StringComparison.Ordinal));

    public IEnumerable<(string Name, Module Module)> NamedChildren() => children;

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.NumEl);

    private IEnumerable<(string Name, Tensor Tensor)> Walk(string prefix, Func<Module, List<(string, Tensor)>> pick)
    {
        foreach (var (name, tensor) in pick(this)) yield return (prefix + name, tensor);
        foreach (var (name, child) in children)
            foreach (var item in child.Walk(prefix + name + ".", pick))
                yield return item;
    }

    private IEnumerable<Module> Modules()
    {
        yield return this;
        foreach (var (_, child) in children)
            foreach (var m in child.Modules())
                yield return m;
    }

    public Module Train(bool mode = true)
    {
        foreach (var m in Modules()) m.Training = mode;
        return this;
    }

    public Module Eval() => Train(false);

    /// <summary>Parameters and persistent buffers by dotted name. The tensors are the module's own: do not dispose them.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in NamedParameters()) state[name] = p;
        foreach (var (name, b) in NamedBuffers()) state[name] = b;
        return state;
    }

    /// <summary>
    /// Copies values into the module's tensors (converting dtype and device). With <paramref name="strict"/>,
    /// a missing or unexpected key, like a shape mismatch, throws and names the key.
    /// </summary>
    public (IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected) LoadStateDict(
        IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (strict && (missing.Count > 0 || unexpected.Count > 0))
            throw new InvalidOperationException(
                $"state dict does not match the module: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        using var noGrad = TorchRuntime.NoGrad();
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var source)) continue;
            var (want, got) = (target.Shape, source.Shape);
            if (!want.SequenceEqual(got))
                throw new InvalidOperationException(
                    $"'{name}': checkpoint shape [{string.Join(", ", got)}] does not match the module's [{string.Join(", ", want)}]");
            target.CopyFrom(source);
        }
        return (missing, unexpected);
    }

    /// <summary>Moves every parameter and buffer; the tensor objects stay the same (optimizers keep working).</summary>
    public Module To(Device device) => Convert(t => t.To(device));

    /// <summary>Casts floating-point parameters and buffers (e.g. to bfloat16 on a GPU).</summary>
    public Module To(ScalarType dtype) => Convert(t => t.DType.IsFloatingPoint() ? t.To(dtype) : t.Clone());

    private Module Convert(Func<Tensor, Tensor> convert)
    {
        using var noGrad = TorchRuntime.NoGrad();
        foreach (var m in Modules())
            foreach (var (_, t) in m.parameters.Concat(m.buffers))
            {
                using var converted = convert(t);
                t.SetData(converted);
            }
        return this;
    }

    /// <summary>Writes the state dict to a safetensors file (names as in <see cref="StateDict"/>).</summary>
    public void Save(string path) => Serialization.SafeTensors.Save(path, StateDict());

    /// <summary>Loads a state dict saved by <see cref="Save"/> (or any safetensors file with matching names).</summary>
    public void Load(string path, bool strict = true)
    {
        var state = Serialization.SafeTensors.Load(path);
        try { LoadStateDict(state, strict); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    public void ZeroGrad() => Tensor.ZeroGrad(Parameters());

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposed || !disposing) return;
        disposed = true;
        foreach (var (_, child) in children) child.Dispose();
        foreach (var (_, t) in parameters.Concat(buffers)) t.Dispose();
    }
}
