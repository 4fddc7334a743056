namespace PreferenceStudio.Torch;

/// <summary>
/// Frees every tensor made on this thread while it is the innermost open scope (TorchSharp's DisposeScope).
/// A training step runs inside one; what must outlive it is moved out with <see cref="MoveToOuter"/>.
/// <code>
/// using (var scope = DisposeScope.Enter()) { var loss = model.Loss(batch); loss.Backward(); optimizer.Step(); }
/// </code>
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly DisposeScope? outer;
    private readonly HashSet<Tensor> tensors = new(ReferenceEqualityComparer.Instance);
    private bool disposed;

    private DisposeScope(DisposeScope? outer) => this.outer = outer;

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static DisposeScope? Current => current;

    /// <summary>Tensors this scope will free.</summary>
    public int Count => tensors.Count;

    public static DisposeScope Enter() => current = new DisposeScope(current);

    internal static void Register(Tensor tensor) => current?.tensors.Add(tensor);

    /// <summary>Hands the tensor to the enclosing scope (or to no scope: then the caller disposes it).</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensors.Remove(tensor)) outer?.tensors.Add(tensor);
        return tensor;
    }

    /// <summary>Moves several tensors out at once.</summary>
    public void MoveToOuter(params ReadOnlySpan<Tensor> moved)
    {
        foreach (var t in moved) MoveToOuter(t);
    }

    /// <summary>Stops tracking the tensor here and in every enclosing scope.</summary>
    public void Forget(Tensor tensor)
    {
        for (var s = this; s is not null; s = s.outer) s.tensors.Remove(tensor);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in tensors) t.Dispose();
        tensors.Clear();
        // Scopes close in LIFO order on one thread; anything else is a bug worth hearing about.
        if (current != this) throw new InvalidOperationException("DisposeScope closed out of order or on another thread");
        current = outer;
    }
}
