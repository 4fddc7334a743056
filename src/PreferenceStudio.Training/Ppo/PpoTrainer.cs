using PreferenceStudio.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Ppo;

/// <summary>
/// Trains a policy with a value head by PPO against a frozen reference, in the shape of TRL's PPOTrainer. Each
/// iteration samples batch_size responses (one per prompt, prompts in a seeded order) with the KV cache and no
/// gradients, scores them with the reward function, takes the policy's (π_old) and the reference's log-probabilities
/// and the values in one pass each, forms the per-token rewards (score − β·KL), their GAE advantages (whitened) and
/// returns, then runs num_ppo_epochs passes of clipped updates over mini-batches of mini_batch_size responses, one
/// AdamW step each, then updates β. Every tensor of an iteration lives in its dispose scope, every update's in a
/// nested one. The policy is switched to training mode with dropout off and back to eval mode at the end.
/// </summary>
public sealed class PpoTrainer
{
    private readonly PolicyWithValueHead model;
    private readonly CausalLM reference;
    private readonly PpoRewardFunction reward;
    private readonly PpoConfig config;

    /// <summary><paramref name="reference"/>: π_ref, usually the policy's starting checkpoint loaded a second time;
    /// it is put in eval mode and only ever read without gradients.</summary>
    public PpoTrainer(PolicyWithValueHead model, CausalLM reference, PpoRewardFunction reward, PpoConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(reward);
        ArgumentNullException.ThrowIfNull(config);
        config.ThrowIfInvalid();
        if (ReferenceEquals(model.Policy, reference))
            throw new ArgumentException("the reference must be a separate model (load the policy's checkpoint a second time): the policy is trained, the reference stays frozen", nameof(reference));
        if (model.Policy.VocabSize != reference.VocabSize)
            throw new ArgumentException($"the policy's vocabulary ({model.Policy.VocabSize} tokens) and the reference's ({reference.VocabSize}) differ: they must share a tokenizer", nameof(reference));
        this.model = model;
        this.reference = reference;
        reference.eval();
        this.reward = reward;
        this.config = config;
    }

    public PpoTrainingResult Train(IReadOnlyList<long[]> prompts, IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default) =>
        Train(prompts, progress, checkpoints: null, cancellationToken);

    /// <summary>
    /// Runs <see cref="PpoConfig.Iterations"/> iterations over <paramref name="prompts"/> (token ids, already
    /// chat-formatted), reporting each one's metrics. With <paramref name="checkpoints"/>, writes the policy, the value
    /// head, the optimizer, the generator, β and the score moments every SaveSteps iterations, and with its
    /// ResumeFrom continues a run from one.
    /// </summary>
    public PpoTrainingResult Train(IReadOnlyList<long[]> prompts, IProgress<TrainingStep>? progress, TrainingCheckpoints? checkpoints,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        if (prompts.Count == 0) throw new ArgumentException("PPO needs at least one prompt", nameof(prompts));
        for (var i = 0; i < prompts.Count; i++)
            if (prompts[i] is not { Length: > 0 })
                throw new ArgumentException($"prompts[{i}]: a prompt needs at least one token, to predict the response's first", nameof(prompts));

        manual_seed((long)config.Seed);
        var iterations = config.Iterations(prompts.Count);
        var parameters = model.parameters().ToList();
        using var optimizer = TrainerOptimizer.AdamW(parameters, config.LearningRate, config.WeightDecay);
        var kl = KlController.For(config);
        var moments = new RunningMoments();
        var history = new List<TrainingStep>((int)iterations);
        var iteration = 0L;
        if (checkpoints?.ResumeFrom is { } resumeFrom)
        {
            PpoState? ppoState = null;
            var state = TrainerCheckpoint.Load(resumeFrom, folder =>
            {
                model.LoadWeights(folder);
                ppoState = PpoState.Load(folder);
            }, optimizer);
            if (state.TotalSteps != iterations || state.Seed != config.Seed)
                throw new InvalidOperationException(
                    $"checkpoint {resumeFrom} is of a run with {state.TotalSteps} iterations and seed {state.Seed}; this one has {iterations} iterations and seed {config.Seed}");
            kl.Restore(ppoState!.KlCoef);
            moments.Restore(ppoState.ScoreMean, ppoState.ScoreSquaredDeviations, ppoState.ScoreCount);
            iteration = state.GlobalStep;
            history.AddRange(state.LogHistory);
        }

        model.train();
        model.DisableDropout();
        try
        {
            while (iteration < iterations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var metrics = Iterate(prompts, iteration, parameters, optimizer, kl, moments, cancellationToken);
                iteration++;
                var report = new TrainingStep(iteration, iterations, (double)Math.Min(iteration * config.BatchSize, EpisodesOf(prompts.Count)) / prompts.Count, metrics);
                history.Add(report);
                progress?.Report(report);
                if (checkpoints is not null && iteration % checkpoints.SaveSteps == 0 && iteration < iterations)
                {
                    var state = new TrainerState(iteration, iterations, config.Seed, history);
                    var (mean, m2, count) = moments.State;
                    checkpoints.Save(iteration, folder => TrainerCheckpoint.Save(folder, f =>
                    {
                        model.SavePretrained(f);
                        new PpoState(kl.Value, mean, m2, count).Save(f);
                    }, optimizer, state));
                }
            }
        }
        finally
        {
            model.eval();
        }
        return new PpoTrainingResult(history, kl.Value);
    }

    /// <summary>The prompts of 0-based iteration <paramref name="iteration"/>: batch_size entries of an endless
    /// sequence of seeded shuffles of the prompts, one shuffle per pass, so a resumed run sees the same ones.</summary>
    public IReadOnlyList<int> PromptsOf(long iteration, int promptCount)
    {
        var rows = new int[config.BatchSize];
        int[]? order = null;
        var pass = -1L;
        for (var k = 0; k < rows.Length; k++)
        {
            var episode = iteration * config.BatchSize + k;
            if (episode / promptCount != pass)
            {
                pass = episode / promptCount;
                order = TrainerOptimizer.EpochOrder(promptCount, config.Seed, (int)pass);
            }
            rows[k] = order![(int)(episode % promptCount)];
        }
        return rows;
    }

    private long EpisodesOf(int promptCount) => config.TotalEpisodes ?? (long)config.NumTrainEpochs * promptCount;

    private Dictionary<string, double> Iterate(IReadOnlyList<long[]> prompts, long iteration, IReadOnlyList<Parameter> parameters,
        OptimizerHelper optimizer, KlController kl, RunningMoments moments, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var samples = Rollout(prompts, PromptsOf(iteration, prompts.Count));
        var experience = PpoExperience.Make(model, reference, reward, config, samples, kl.Value, moments);
        var metrics = new PpoIterationMetrics();
        var b = samples.Count;
        for (var epoch = 0; epoch < config.NumPpoEpochs; epoch++)
        {
            // A fresh order each PPO epoch, fixed by the seed and the iteration, so a resumed run takes the same steps.
            var order = TrainerOptimizer.EpochOrder(b, config.Seed + (ulong)iteration * 7919, epoch);
            for (var start = 0; start < b; start += config.MiniBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                var rows = tensor(order.Skip(start).Take(config.MiniBatchSize).Select(i => (long)i).ToArray(), device: model.Device);
                Update(experience, rows, parameters, optimizer, metrics);
            }
        }
        var (result, meanKl) = metrics.Finish(experience, samples.Count(s => s.Stopped), optimizer.ParamGroups.First().LearningRate);
        kl.Update(meanKl, b);
        return result;
    }

    /// <summary>One clipped update on the experience's rows <paramref name="rows"/>: policy loss + vf_coef · value
    /// loss, backward, clipping, an AdamW step.</summary>
    private void Update(PpoExperience experience, Tensor rows, IReadOnlyList<Parameter> parameters, OptimizerHelper optimizer, PpoIterationMetrics metrics)
    {
        var part = experience.Batch.Select(rows);
        var hidden = part.ResponseHidden(model.Policy);
        var logits = PpoBatch.ResponseLogits(model.Policy, hidden, config.Temperature);
        var logProbs = part.LogProbs(logits);
        var values = model.ValueHead.forward(hidden);
        var oldLogProbs = experience.OldLogProbs.index_select(0, rows);
        var policy = PpoLosses.PolicyLoss(logProbs, oldLogProbs, experience.Advantages.index_select(0, rows), part.Mask, config.Cliprange);
        var value = PpoLosses.ValueLoss(values, experience.OldValues.index_select(0, rows), experience.Returns.index_select(0, rows), part.Mask, config.CliprangeValue);
        var loss = policy.Loss + config.VfCoef * value.Loss;
        optimizer.zero_grad();
        loss.backward();
        var gradNorm = nn.utils.clip_grad_norm_(parameters, config.MaxGradNorm);
        optimizer.step();
        metrics.AddUpdate(logits, logProbs, oldLogProbs, part.Mask, policy, value, gradNorm);
    }

    private List<PpoSample> Rollout(IReadOnlyList<long[]> prompts, IReadOnlyList<int> rows)
    {
        var options = new Models.Generation.GenerationOptions
        {
            MaxNewTokens = config.MaxNewTokens, Temperature = config.Temperature,
            StopTokens = config.StopTokenId is { } stop ? [stop] : [], PadTokenId = config.StopTokenId ?? 0,
        };
        // No seed here: the run seeded the generator once, so each iteration draws on, and a resumed run restores it.
        var generated = Models.Generation.Generator.Generate(model.Policy, rows.Select(i => prompts[i]).ToList(), options);
        return rows.Select((p, i) => new PpoSample(p, prompts[p], generated[i].Tokens, generated[i].Stopped)).ToList();
    }
}
