using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>
/// A reward model loaded from its folder with its tokenizer, scoring (prompt, response) as it was trained: the prompt
/// in ChatML with the assistant's turn opened, then the response closed by &lt;|im_end|&gt;.
/// </summary>
public sealed class LoadedRewardModel(RewardModel model, BpeTokenizer tokenizer, int batchSize, int maxLength) : IDisposable
{
    private readonly long _end = tokenizer.TokenToId(ChatML.End)
        ?? throw new InvalidOperationException($"the reward model's tokenizer has no {ChatML.End} token, which ChatML needs");

    public static LoadedRewardModel Load(string folder, TorchSharp.torch.Device device, int batchSize, int maxLength) =>
        new(RewardModel.FromPretrained(folder, device), BpeTokenizer.FromFile(Path.Combine(folder, "tokenizer.json")), batchSize, maxLength);

    /// <summary>r(x, y) of each (prompt, response), in order.</summary>
    public float[] Score(IReadOnlyList<(IReadOnlyList<ChatTurn> Prompt, string Text)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var sequences = items.Select(i =>
                tokenizer.Encode(ChatML.Format(i.Prompt.Select(t => new ChatMessage(t.Role, t.Content))))
                    .Concat(tokenizer.Encode(i.Text)).Append(_end).ToArray())
            .ToList();
        return RewardScoring.Score(model, sequences, batchSize, maxLength);
    }

    public void Dispose() => model.Dispose();
}
