using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>What the trainers share around the optimizer and the order of the data.</summary>
public static class TrainerOptimizer
{
    /// <summary>AdamW with decoupled weight decay on matrices only (linear and embedding weights), not on biases and
    /// norm scales, as Hugging Face's Trainer groups them.</summary>
    public static AdamW AdamW(IReadOnlyList<Parameter> parameters, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var decay = parameters.Where(p => p.dim() >= 2).ToList();
        var noDecay = parameters.Where(p => p.dim() < 2).ToList();
        return optim.AdamW(
            [
                new AdamW.ParamGroup(decay, new AdamW.Options { LearningRate = learningRate, weight_decay = weightDecay }),
                new AdamW.ParamGroup(noDecay, new AdamW.Options { LearningRate = learningRate, weight_decay = 0 }),
            ], learningRate);
    }

    /// <summary>The order of an epoch's examples: a permutation of 0..count-1 fixed by the run's seed and the epoch,
    /// so a resumed run sees the same batches.</summary>
    public static int[] EpochOrder(int count, ulong seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random((int)(seed % int.MaxValue) + epoch).Shuffle(order);
        return order;
    }
}
