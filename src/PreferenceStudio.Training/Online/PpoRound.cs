using System.Diagnostics;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Ppo;

namespace PreferenceStudio.Training.Online;

/// <summary>
/// The PPO stage of a round, on checkpoint folders: the policy in a folder (with its value head when a previous PPO
/// round wrote one, else a fresh head) is trained by PPO for a number of rollout batches on a set of prompts against
/// a frozen reference (itself loaded a second time, or a given folder such as the base), and written with its value head and tokenizer files to
/// the next folder. Each stage is timed: rollout, scoring, and training (see <see cref="PpoRoundResult"/>).
/// </summary>
public static class PpoRound
{
    /// <summary>
    /// Runs <paramref name="rolloutBatches"/> PPO iterations of <see cref="PpoConfig.BatchSize"/> responses each
    /// (the config's total_episodes is replaced by their product) on <paramref name="prompts"/>, each one user turn in
    /// ChatML, as <see cref="PolicySampler"/> formats them. The stop token is the tokenizer's end of turn unless the
    /// config names one. <paramref name="reward"/> gets the policy folder's tokenizer, for rewards that read text.
    /// <paramref name="referenceFolder"/>: π_ref of the KL penalty; null: the policy the round starts from. Over many
    /// rounds that lets the policy drift a round's KL budget each round; the base (or the SFT model) as the reference
    /// of every round bounds the drift in all, as TRL's and OpenRLHF's iterative PPO keep the initial model.
    /// </summary>
    public static PpoRoundResult Run(string policyFolder, string outputFolder, IReadOnlyList<string> prompts,
        Func<BpeTokenizer, PpoRewardFunction> reward, PpoConfig config, int rolloutBatches, string? referenceFolder = null,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policyFolder);
        ArgumentNullException.ThrowIfNull(outputFolder);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(rolloutBatches, 1);
        if (prompts.Count == 0) throw new ArgumentException("a PPO round needs at least one prompt", nameof(prompts));
        var tokenizerPath = Path.Combine(policyFolder, "tokenizer.json");
        if (!File.Exists(tokenizerPath)) throw new FileNotFoundException($"{policyFolder} has no tokenizer.json: PPO samples text from the policy", tokenizerPath);
        var tokenizer = BpeTokenizer.FromFile(tokenizerPath);
        config = config.WithChatStop(tokenizer, policyFolder) with { TotalEpisodes = rolloutBatches * config.BatchSize };
        var encoded = prompts.Select(p => tokenizer.Encode(ChatML.Format([new ChatMessage("user", p)]))).ToList();

        var clock = new StageClock(config.NumPpoEpochs, reward(tokenizer), progress);
        using var model = File.Exists(Path.Combine(policyFolder, PolicyWithValueHead.ValueHeadFile))
            ? PolicyWithValueHead.FromPretrained(policyFolder)
            : new PolicyWithValueHead(CausalLM.FromPretrained(policyFolder));
        using var reference = CausalLM.FromPretrained(referenceFolder ?? policyFolder);
        var trainer = new PpoTrainer(model, reference, clock.Reward, config);
        clock.Start();
        var result = trainer.Train(encoded, clock, cancellationToken);
        Directory.CreateDirectory(outputFolder);
        model.SavePretrained(outputFolder);
        foreach (var file in OnlineRound.TokenizerFiles.Where(f => File.Exists(Path.Combine(policyFolder, f))))
            File.Copy(Path.Combine(policyFolder, file), Path.Combine(outputFolder, file), overwrite: true);
        return new PpoRoundResult(result, clock.RolloutTokens, clock.Rollout, clock.TrainingTokens, clock.Training, clock.Scoring);
    }

    /// <summary>
    /// Splits each iteration's time at the reward call: the trainer samples, then scores, then trains, then reports
    /// the iteration, all on its thread, so the time before the call is the rollout's and the time after it the
    /// training's. Reports synchronously (Progress&lt;T&gt; would post to the thread pool and the clock would drift).
    /// </summary>
    private sealed class StageClock(int ppoEpochs, PpoRewardFunction inner, IProgress<TrainingStep>? progress) : IProgress<TrainingStep>
    {
        private readonly Stopwatch watch = new();
        private TimeSpan iterationStart, rewardEnd;

        public long RolloutTokens { get; private set; }
        public long TrainingTokens { get; private set; }
        public TimeSpan Rollout { get; private set; }
        public TimeSpan Scoring { get; private set; }
        public TimeSpan Training { get; private set; }

        public void Start()
        {
            watch.Restart();
            iterationStart = TimeSpan.Zero;
        }

        public float[][] Reward(IReadOnlyList<PpoSample> samples)
        {
            var rewardStart = watch.Elapsed;
            Rollout += rewardStart - iterationStart;
            RolloutTokens += samples.Sum(s => (long)s.Response.Length);
            TrainingTokens += ppoEpochs * samples.Sum(s => (long)s.Prompt.Length + s.Response.Length);
            var scores = inner(samples);
            rewardEnd = watch.Elapsed;
            Scoring += rewardEnd - rewardStart;
            return scores;
        }

        public void Report(TrainingStep value)
        {
            var now = watch.Elapsed;
            Training += now - rewardEnd;
            progress?.Report(value);
            iterationStart = watch.Elapsed;  // the caller's progress handler is nobody's stage
        }
    }
}
