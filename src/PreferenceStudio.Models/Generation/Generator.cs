using static TorchSharp.torch;

namespace PreferenceStudio.Models.Generation;

/// <summary>Batched autoregressive sampling from a <see cref="CausalLM"/>.</summary>
public static class Generator
{
    /// <summary>
    /// Completes every prompt. Prompts are left-padded to a common length and masked, so a batch gives the same
    /// tokens (up to floating-point noise) as each prompt alone. Runs in eval mode without gradients; every tensor
    /// it makes is freed before it returns.
    /// </summary>
    public static IReadOnlyList<GeneratedSequence> Generate(CausalLM model, IReadOnlyList<long[]> prompts, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("every prompt needs at least one token", nameof(prompts));
        if (options.Seed is { } seed) manual_seed((long)seed);

        var device = model.Device;
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

        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        using var cache = options.UseCache ? model.NewCache() : null;
        var allIds = tensor(ids, [b, promptLength], device: device);          // (B, T)
        // Without padding the mask is all ones: leave it out and attention takes its cheaper causal-only path.
        var padded = prompts.Any(p => p.Length != promptLength);
        var allMask = padded ? tensor(mask, [b, promptLength], device: device) : null; // (B, T)
        var next = allIds;                                                    // what this step feeds

        var wasTraining = model.training;
        model.eval();
        try
        {
            for (var step = 0; step < options.MaxNewTokens && !stopped.All(s => s); step++)
            {
                using var scope = NewDisposeScope();
                var logits = model.forward(options.UseCache ? next : allIds, allMask, cache: cache);  // (B, T_in, V)
                var last = logits.select(1, logits.shape[1] - 1).to(ScalarType.Float32);            // (B, V)
                var (chosen, chosenLogProbs) = Sample(last, options);                               // (B), (B)
                var chosenIds = chosen.cpu().data<long>().ToArray();
                var chosenLp = chosenLogProbs.cpu().data<float>().ToArray();
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
                next = tensor(chosenIds, [b, 1], device: device);
                allIds = cat([allIds, next], 1);
                scope.MoveToOuter(next, allIds);
                if (allMask is not null) allMask = scope.MoveToOuter(cat([allMask, ones_like(next)], 1));
            }
        }
        finally
        {
            model.train(wasTraining);
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
        var logProbs = scaled.log_softmax(-1);                                   // (B, V)
        Tensor chosen;
        if (options.Temperature <= 0)
        {
            chosen = logits.argmax(-1, keepdim: true);                           // (B, 1)
        }
        else
        {
            var filtered = scaled;
            if (options.TopK > 0 && options.TopK < logits.shape[^1])
            {
                var kth = filtered.topk(options.TopK).values.narrow(-1, options.TopK - 1, 1); // (B, 1)
                filtered = filtered.masked_fill(filtered.lt(kth), double.NegativeInfinity);
            }
            if (options.TopP < 1.0)
            {
                // Nucleus (Holtzman et al. 2020): keep the smallest set of top tokens whose mass reaches top_p.
                var (sorted, order) = filtered.sort(-1, descending: true);
                var probs = sorted.softmax(-1);
                var massBefore = probs.cumsum(-1) - probs;                        // mass of strictly better tokens
                var removeSorted = massBefore.gt(options.TopP);                  // the best token always stays
                var remove = removeSorted.scatter(-1, order, removeSorted);
                filtered = filtered.masked_fill(remove, double.NegativeInfinity);
            }
            chosen = filtered.softmax(-1).multinomial(1);                        // (B, 1)
        }
        return (chosen.squeeze(-1), logProbs.gather(-1, chosen).squeeze(-1));
    }
}
