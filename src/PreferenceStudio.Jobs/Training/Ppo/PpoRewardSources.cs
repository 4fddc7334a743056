using PreferenceStudio.Core.Training;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;
using static TorchSharp.torch;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// One source of a PPO run's reward, loaded: its name in the run's metrics (objective/scores/{name}), its weight in
/// the mix, and its reward function on the policy's tokens. Disposing it frees its model.
/// </summary>
public interface IPpoRewardSource : IDisposable
{
    /// <summary>"reward_model", "span" or "principle".</summary>
    string Name { get; }

    double Weight { get; }

    PpoRewardFunction Reward { get; }
}

/// <summary>Loads a registered model version of one kind as a reward source, from its folder in the store.</summary>
public interface IPpoRewardSourceLoader
{
    ModelKind Kind { get; }

    /// <summary>The config field that names the model ("reward.span_model_id"), for errors.</summary>
    string Field { get; }

    /// <summary>The model id the section names for this source; null when the run does not use it.</summary>
    int? ModelId(PpoRewardSection section);

    IPpoRewardSource Load(string folder, PpoRewardSection section, BpeTokenizer policyTokenizer, Device device);
}

/// <summary>The scalar reward model's r(x, y) at each response's last token, the response closed by &lt;|im_end|&gt; as it was trained.</summary>
public sealed class ScalarRewardSourceLoader : IPpoRewardSourceLoader
{
    public ModelKind Kind => ModelKind.Reward;

    public string Field => "reward.reward_model_id";

    public int? ModelId(PpoRewardSection section) => section?.RewardModelId;

    public IPpoRewardSource Load(string folder, PpoRewardSection section, BpeTokenizer policyTokenizer, Device device)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(policyTokenizer);
        var end = policyTokenizer.TokenToId(ChatML.End)
            ?? throw new InvalidOperationException($"the policy's tokenizer has no {ChatML.End} token, which closes a response for the reward model");
        var model = RewardModel.FromPretrained(folder, device);
        var reward = PpoRewards.AtEnd(samples => RewardScoring.Score(model,
            samples.Select(s => s.Stopped ? [.. s.Prompt, .. s.Response] : s.Prompt.Concat(s.Response).Append(end).ToArray()).ToList(),
            section.BatchSize, section.MaxLength).Select(x => (double)x).ToList());
        return new LoadedSource("reward_model", section.RewardModelWeight, reward, model);
    }
}

/// <summary>The span model's dense rewards: minus the weighted error mass it predicts over each segment, at the segment's end.</summary>
public sealed class SpanRewardSourceLoader : IPpoRewardSourceLoader
{
    public ModelKind Kind => ModelKind.SpanReward;

    public string Field => "reward.span_model_id";

    public int? ModelId(PpoRewardSection section) => section?.SpanModelId;

    public IPpoRewardSource Load(string folder, PpoRewardSection section, BpeTokenizer policyTokenizer, Device device)
    {
        ArgumentNullException.ThrowIfNull(section);
        var model = SpanRewardModel.FromPretrained(folder, device);
        try
        {
            var errors = section.Segments.Validate(model.Categories);
            if (errors.Count > 0)
                throw new InvalidOperationException(string.Join("; ", errors.Select(e => "reward.segments." + e)));
            return new LoadedSource("span", section.SpanWeight, SpanRewards.For(model, section.Segments, policyTokenizer, section.BatchSize), model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}

/// <summary>The principle model's Σ_k w_k (p_k(yes) − 0.5) over the run's principles, at each response's last token.</summary>
public sealed class PrincipleRewardSourceLoader : IPpoRewardSourceLoader
{
    public ModelKind Kind => ModelKind.PrincipleReward;

    public string Field => "reward.principle_model_id";

    public int? ModelId(PpoRewardSection section) => section?.PrincipleModelId;

    public IPpoRewardSource Load(string folder, PpoRewardSection section, BpeTokenizer policyTokenizer, Device device)
    {
        ArgumentNullException.ThrowIfNull(section);
        var model = PrincipleRewardModel.FromPretrained(folder, device);
        try
        {
            var reward = PrincipleReward.ForPpo(model, new PrincipleTemplate(policyTokenizer), section.Principles, section.BatchSize, section.MaxLength);
            return new LoadedSource("principle", section.PrincipleWeight, reward, model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}

internal sealed class LoadedSource(string name, double weight, PpoRewardFunction reward, IDisposable model) : IPpoRewardSource
{
    public string Name => name;

    public double Weight => weight;

    public PpoRewardFunction Reward => reward;

    public void Dispose() => model.Dispose();
}

/// <summary>The loaders of every reward source a PPO run may name, in the order their rewards are mixed.</summary>
public static class PpoRewardSourceLoaders
{
    public static IReadOnlyList<IPpoRewardSourceLoader> All { get; } =
        [new ScalarRewardSourceLoader(), new SpanRewardSourceLoader(), new PrincipleRewardSourceLoader()];
}
