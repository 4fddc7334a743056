namespace PreferenceStudio.Models.Generation;

/// <summary>How to sample. Temperature 0 is greedy; TopK 0 and TopP 1 disable those filters.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 64;
    public double Temperature { get; init; } = 1.0;
    public int TopK { get; init; }
    public double TopP { get; init; } = 1.0;

    /// <summary>A sequence ends after emitting one of these (it is included in the output).</summary>
    public IReadOnlyCollection<long> StopTokens { get; init; } = [];

    /// <summary>Fills the left padding of shorter prompts and the tail of finished sequences.</summary>
    public long PadTokenId { get; init; }

    /// <summary>Feed one token per step with a KV cache (true) or re-run the whole sequence each step (false).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Seeds libtorch's generator first, for reproducible samples.</summary>
    public ulong? Seed { get; init; }
}

/// <summary>One completion: the new tokens (up to and including a stop token) and each one's log-probability
/// under the model at the sampling temperature (log_softmax(logits / T), before top-k / top-p filtering, as
/// PPO-style trainers recompute it).</summary>
public sealed record GeneratedSequence(long[] Tokens, float[] LogProbs, bool Stopped);
