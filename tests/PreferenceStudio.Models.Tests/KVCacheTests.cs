using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Tests;

public class KVCacheTests
{
    [Theory]
    [InlineData(0)]   // no hint: the buffers grow from the first update
    [InlineData(2)]   // a hint smaller than what comes: they grow past it
    [InlineData(16)]  // room for everything at once
    public void Update_returns_every_position_appended_so_far_whatever_the_capacity(long capacity)
    {
        using var scope = NewDisposeScope();
        using var cache = new KVCache(2, capacity);
        manual_seed(1);
        var keys = new List<Tensor>();
        var values = new List<Tensor>();
        foreach (var t in new long[] { 3, 1, 1, 4, 1 })
        {
            var (k, v) = (randn(2, 3, t, 4), randn(2, 3, t, 4));                // (B, H_kv, T_new, D)
            keys.Add(k);
            values.Add(v);
            for (var layer = 0; layer < 2; layer++)
            {
                var (allK, allV) = cache.Update(layer, k * (layer + 1), v * (layer + 1));
                allK.allclose(cat(keys, 2) * (layer + 1), rtol: 0, atol: 0).ShouldBeTrue($"keys of layer {layer} after {cache.Length} positions");
                allV.allclose(cat(values, 2) * (layer + 1), rtol: 0, atol: 0).ShouldBeTrue($"values of layer {layer} after {cache.Length} positions");
            }
        }
        cache.Length.ShouldBe(10);
    }

    [Fact]
    public void Dispose_frees_the_buffers_even_after_they_grew()
    {
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        using (var cache = new KVCache(1, capacity: 1))
        {
            for (var i = 0; i < 5; i++) cache.Update(0, ones(1, 1, 1, 2), ones(1, 1, 1, 2));
            cache.Length.ShouldBe(5);
        }
        DisposeScopeManager.Statistics.ThreadTotalLiveCount.ShouldBe(live);
    }

    [Fact]
    public void MaskBias_of_a_mask_not_covering_cache_and_input_names_both_lengths()
    {
        using var scope = NewDisposeScope();
        var mask = ones(2, 5, ScalarType.Int64);
        var error = Should.Throw<ArgumentException>(() => Attention.MaskBias(mask, 1, 7, ScalarType.Float32, CPU));
        error.Message.ShouldContain("covers 5 positions, the cache and the input 7");
    }
}
