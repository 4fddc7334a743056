using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>
/// Keys and values of every layer for the positions seen so far, so generation feeds one new token per step
/// instead of the whole sequence. Per layer a buffer (B, H_kv, capacity, D) whose first T positions are filled:
/// each step writes its keys and values in place, so a sequence of T tokens copies O(T) numbers, not the O(T²) of
/// concatenating the cache each step. For inference (no_grad): the in-place writes are not for autograd. The cache
/// owns its buffers: they are kept out of the caller's dispose scopes and freed when it is disposed.
/// </summary>
public sealed class KVCache : IDisposable
{
    private readonly Tensor?[] keys;
    private readonly Tensor?[] values;
    private readonly long[] lengths;
    private readonly long capacity;

    /// <param name="layers">One buffer pair per layer.</param>
    /// <param name="capacity">Positions to make room for at once (prompt + new tokens); the buffers grow (doubling)
    /// past it, so it is a hint, not a limit.</param>
    public KVCache(int layers, long capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layers);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
        lengths = new long[layers];
        this.capacity = capacity;
    }

    /// <summary>Positions cached so far (T of layer 0).</summary>
    public long Length => lengths[0];

    /// <summary>Appends this step's k, v (B, H_kv, T_new, D) and returns views of the full (B, H_kv, T, D) for attention.</summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor k, Tensor v)
    {
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        long past = lengths[layer], t = k.shape[2], length = past + t;
        if (keys[layer] is not { } oldK || oldK.shape[2] < length) Grow(layer, k, v, length);
        keys[layer]!.narrow(2, past, t).copy_(k);
        values[layer]!.narrow(2, past, t).copy_(v);
        lengths[layer] = length;
        return (keys[layer]!.narrow(2, 0, length), values[layer]!.narrow(2, 0, length));
    }

    // New buffers with room for at least `length` positions; the filled part of the old ones comes along.
    private void Grow(int layer, Tensor k, Tensor v, long length)
    {
        var room = Math.Max(Math.Max(length, capacity), 2 * (keys[layer]?.shape[2] ?? 0));
        keys[layer] = Regrow(keys[layer], k, room, lengths[layer]);
        values[layer] = Regrow(values[layer], v, room, lengths[layer]);
    }

    private static Tensor Regrow(Tensor? old, Tensor like, long room, long filled)
    {
        var buffer = empty([like.shape[0], like.shape[1], room, like.shape[3]], like.dtype, like.device).DetachFromDisposeScope();
        if (old is not null)
        {
            using var scope = NewDisposeScope();
            buffer.narrow(2, 0, filled).copy_(old.narrow(2, 0, filled));
            old.Dispose();
        }
        return buffer;
    }

    public void Dispose()
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i]?.Dispose();
            values[i]?.Dispose();
            keys[i] = values[i] = null;
            lengths[i] = 0;
        }
    }
}
