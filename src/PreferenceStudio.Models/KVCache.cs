using PreferenceStudio.Torch;

namespace PreferenceStudio.Models;

/// <summary>
/// Keys and values of every layer for the positions seen so far, so generation feeds one new token per step
/// instead of the whole sequence. Per layer: (B, H_kv, T, D). The cache owns its tensors.
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
    public long Length => keys[0]?.Size(2) ?? 0;

    /// <summary>Appends this step's k, v (B, H_kv, T_new, D) and returns the full (B, H_kv, T, D) for attention.</summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        var (oldK, oldV) = (keys[layer], values[layer]);
        var newK = oldK is null ? k.Contiguous() : Tensor.Cat([oldK, k], 2);
        var newV = oldV is null ? v.Contiguous() : Tensor.Cat([oldV, v], 2);
        keys[layer] = newK.DetachFromScope();
        values[layer] = newV.DetachFromScope();
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
