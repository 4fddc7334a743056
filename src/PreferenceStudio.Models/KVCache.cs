using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>
/// Keys and values of every layer for the positions seen so far, so generation feeds one new token per step
/// instead of the whole sequence. Per layer: (B, H_kv, T, D). The cache owns its tensors: they are kept out of
/// the caller's dispose scopes and freed when replaced or when the cache is disposed.
/// </summary>
public sealed class KVCache : IDisposable
{
    private readonly Tensor?[] keys;
    private readonly Tensor?[] values;

    public KVCache(int layers)
    {
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
    }

    /// <summary>Positions cached so far (T of layer 0).</summary>
    public long Length => keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's k, v (B, H_kv, T_new, D) and returns the full (B, H_kv, T, D) for attention.</summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        var (oldK, oldV) = (keys[layer], values[layer]);
        var newK = oldK is null ? k.contiguous() : cat([oldK, k], 2);
        var newV = oldV is null ? v.contiguous() : cat([oldV, v], 2);
        // The cache keeps its own handles; the ones returned belong to the caller's scope.
        keys[layer] = newK.alias().DetachFromDisposeScope();
        values[layer] = newV.alias().DetachFromDisposeScope();
        oldK?.Dispose();
        oldV?.Dispose();
        return (newK, newV);
    }

    public void Dispose()
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
        }
    }
}
