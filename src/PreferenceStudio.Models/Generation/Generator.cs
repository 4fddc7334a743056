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
        var maxLength = promptLength + options.MaxNewTokens;
        using var cache = options.UseCache ? model.NewCache(maxLength) : null;
        // Prompt and completions in one buffer (B, T_max), written in place as tokens come: the ids (and mask)
        // seen so far are a view of its first columns, never a concatenation per step.
        var allIds = full([b, maxLength], options.PadTokenId, ScalarType.Int64, device);
        allIds.narrow(1, 0, promptLength).copy_(tensor(ids, [b, promptLength], device: device));
        // Without padding the mask is all ones: leave it out and attention takes its cheaper causal-only path.
        var padded = prompts.Any(p => p.Length != promptLength);
        var allMask = padded ? ones([b, maxLength], ScalarType.Int64, device) : null;
        allMask?.narrow(1, 0, promptLength).copy_(tensor(mask, [b, promptLength], device: device));

        var wasTraining = model.training;
        model.eval();
        try
        {
            var length = (long)promptLength;                                   // positions filled in allIds
            for (var step = 0; step < options.MaxNewTokens && !stopped.All(s => s); step++)
            {
                using var scope = NewDisposeScope();
                var start = options.UseCache ? cache!.Length : 0;              // what this step feeds: the new ids
                var input = allIds.narrow(1, start, length - start);            // (B, T_in)
                var hidden = model.ForwardHidden(input, allMask?.narrow(1, 0, length), cache: cache); // (B, T_in, C)
                // Only the last position's logits are needed (transformers' logits_to_keep=1): the LM head is the
                // widest matmul, and without the cache it would run over every position again each step.
                var logits = model.LmHead(hidden.narrow(1, hidden.shape[1] - 1, 1));                 // (B, 1, V)
                var last = logits.select(1, 0);                                                      // (B, V)
                if (last.dtype != ScalarType.Float32) last = last.to(ScalarType.Float32);
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
                allIds.narrow(1, length, 1).copy_(tensor(chosenIds, [b, 1], device: device));
                length++;
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
        var scaled = temperature == 1.0 ? logits : logits / temperature;  // x / 1 is x: skip the op
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
