using PreferenceStudio.Torch;

namespace PreferenceStudio.Models.Generation;

/// <summary>Batched autoregressive sampling from a <see cref="CausalLM"/>.</summary>
public static class Generator
{
    /// <summary>
    /// Completes every prompt. Prompts are left-padded to a common length and masked, so a batch gives the same
    /// tokens (up to floating-point noise) as each prompt alone.
    /// </summary>
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLM model, IReadOnlyList<long[]> prompts, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("every prompt needs at least one token", nameof(prompts));
        if (options.Seed is { } seed) TorchRuntime.ManualSeed(seed);

        var device = model.Parameters()[0].Device;
        int b = prompts.Count, promptLength = prompts.Max(p => p.Length);
        var ids = new long[b * promptLength];
        var mask = new long[b * promptLength];
        for (var i = 0; i < b; i++)
        {
            var offset = promptLength - prompts[i].Length;  // left padding
            for (var j = 0; j < promptLength; j++)
            {
                ids[i * promptLength + j] = j < offset ? options.PadTokenId : prompts[i][j - offset];
                mask[i * promptLength + j] = j < offset ? 0 : 1;
            }
        }

        var tokens = Enumerable.Range(0, b).Select(_ => new List<long>()).ToArray();
        var logProbs = Enumerable.Range(0, b).Select(_ => new List<float>()).ToArray();
        var stopped = new bool[b];
        var stops = options.StopTokens.ToHashSet();

        using var noGrad = TorchRuntime.NoGrad();
        using var outer = DisposeScope.Enter();
        using var cache = options.UseCache ? model.NewCache() : null;
        var allIds = Tensor.From(ids, [b, promptLength], device);   // (B, T)
        // Without padding the mask is all ones: leave it out and attention takes its cheaper causal-only path.
        var padded = prompts.Any(p => p.Length != promptLength);
        Tensor? allMask = padded ? Tensor.From(mask, [b, promptLength], device) : null; // (B, T)
        var next = allIds;                                         // what this step feeds

        var wasTraining = model.Training;
        model.Eval();
        try
        {
            for (var step = 0; step < options.MaxNewTokens && !stopped.All(s => s); step++)
            {
                using var scope = DisposeScope.Enter();
                var logits = model.Forward(options.UseCache ? next : allIds, allMask, cache: cache);  // (B, T_in, V)
                var last = logits.Select(1, logits.Size(1) - 1).To(ScalarType.Float32);             // (B, V)
                var (chosen, chosenLogProbs) = Sample(last, options);                               // (B), (B)
                var chosenIds = chosen.ToInt64Array();
                var chosenLp = chosenLogProbs.ToFloatArray();
                for (var i = 0; i < b; i++)
                {
                    if (stopped[i])
                    {
                        chosenIds[i] = options.PadTokenId;
                        continue;
                    }
                    tokens[i].Add(chosenIds[i]);
                    logProbs[i].Add(chosenLp[i]);
                    if (stops.Contains(chosenIds[i])) stopped[i] = true;
                }
                next = Tensor.From(chosenIds, [b, 1], device);
                allIds = Tensor.Cat([allIds, next], 1);
                scope.MoveToOuter(next, allIds);
                if (allMask is not null) allMask = scope.MoveToOuter(Tensor.Cat([allMask, allMask.Narrow(1, 0, 1).OnesLike()], 1));
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return Enumerable.Range(0, b).Select(i => new GeneratedSequence([.. tokens[i]], [.. logProbs[i]], stopped[i])).ToList();
    }

    /// <summary>Picks one token per row of logits (B, V); returns the tokens and their log-probabilities.</summary>
    public static (Tensor Tokens, Tensor LogProbs) Sample(Tensor logits, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(options);
        var temperature = options.Temperature <= 0 ? 1.0 : options.Temperature;
        var scaled = logits / temperature;
        var logProbs = scaled.LogSoftmax(-1);                                    // (B, V)
        Tensor chosen;
        if (options.Temperature <= 0)
        {
            chosen = logits.ArgMax(-1, keepDim: true);                           // (B, 1)
        }
        else
        {
            var filtered = scaled;
            if (options.TopK > 0 && options.TopK < logits.Size(-1))
            {
                var kth = filtered.TopK(options.TopK).Values.Narrow(-1, options.TopK - 1, 1); // (B, 1)
                filtered = filtered.MaskedFill(filtered.Lt(kth), double.NegativeInfinity);
            }
            if (options.TopP < 1.0)
            {
                // Nucleus (Holtzman et al. 2020): keep the smallest set of top tokens whose mass reaches top_p.
                var (sorted, order) = filtered.Sort(-1, descending: true);
                var probs = sorted.Softmax(-1);
                var massBefore = probs.CumSum(-1) - probs;                        // mass of strictly better tokens
                var removeSorted = massBefore.Gt(options.TopP);                  // the best token always stays
                var remove = removeSorted.Scatter(-1, order, removeSorted);
                filtered = filtered.MaskedFill(remove, double.NegativeInfinity);
            }
            chosen = filtered.Softmax(-1).Multinomial(1);                        // (B, 1)
        }
        return (chosen.Squeeze(-1), logProbs.Gather(-1, chosen).Squeeze(-1));
    }
}
