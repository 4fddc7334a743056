using PreferenceStudio.Models;
using PreferenceStudio.Models.Generation;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Training.Online;

/// <summary>
/// Samples K responses per prompt from a chat policy: each prompt is one user turn in ChatML, the assistant's turn
/// opened, and a response ends at &lt;|im_end|&gt; (kept in its tokens, so DPO and the reward model see where it stopped).
/// Rows are generated in batches with the KV cache; the same seed gives the same samples.
/// </summary>
public sealed class PolicySampler(CausalLM policy, BpeTokenizer tokenizer)
{
    /// <summary>Sequences generated together: wide enough to keep the two cores busy, small enough for any prompt set.</summary>
    public const int RowsPerBatch = 128;

    public IReadOnlyList<SampledPrompt> Sample(IReadOnlyList<string> prompts, int k, double temperature, int maxNewTokens, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var stop = tokenizer.TokenToId(ChatML.End)
            ?? throw new InvalidOperationException($"the tokenizer has no {ChatML.End} token: the policy is not a ChatML chat model");
        var encoded = prompts.Select(p => tokenizer.Encode(ChatML.Format([new ChatMessage("user", p)]))).ToList();
        var rows = encoded.SelectMany(p => Enumerable.Repeat(p, k)).ToList();  // prompt i's samples at rows i*k .. i*k+k-1
        var options = new GenerationOptions
        {
            MaxNewTokens = maxNewTokens, Temperature = temperature, StopTokens = [stop], PadTokenId = stop, Seed = seed,
        };
        var samples = new List<PolicySample>(rows.Count);
        for (var start = 0; start < rows.Count; start += RowsPerBatch)
        {
            var batch = rows.Skip(start).Take(RowsPerBatch).ToList();
            // Seed once: later batches continue the generator, so a different batch size gives other (equally fair) samples.
            foreach (var sequence in Generator.Generate(policy, batch, start == 0 ? options : options with { Seed = null }))
                samples.Add(new PolicySample(sequence.Tokens, tokenizer.Decode(sequence.Tokens, skipSpecialTokens: true).Trim(), sequence.Stopped));
        }
        return prompts.Select((prompt, i) => new SampledPrompt(prompt, encoded[i], samples.GetRange(i * k, k))).ToList();
    }
}
