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
        var device = model.Device;
        var samples = Rollout(prompts, PromptsOf(iteration, prompts.Count));
        var rawScores = PpoRewards.Check(reward(samples), samples);
        var scores = PpoScores.Shape(config, samples, rawScores, moments);
        var batch = PpoBatch.Collate(samples, config.StopTokenId ?? 0, device);
        var mask = batch.Mask;
        var b = samples.Count;

        Tensor oldLogProbs, oldValues, referenceLogProbs;
        using (no_grad())
        {
            var logProbParts = new List<Tensor>();
            var valueParts = new List<Tensor>();
            var referenceParts = new List<Tensor>();
            for (var start = 0; start < b; start += config.MiniBatchSize)
            {
                var part = batch.Select(arange(start, Math.Min(b, start + config.MiniBatchSize), ScalarType.Int64, device));
                var hidden = part.ResponseHidden(model.Policy);
                logProbParts.Add(part.LogProbs(PpoBatch.ResponseLogits(model.Policy, hidden, config.Temperature)));
                valueParts.Add(model.ValueHead.forward(hidden));
                referenceParts.Add(part.LogProbs(PpoBatch.ResponseLogits(reference, part.ResponseHidden(reference), config.Temperature)));
            }
            oldLogProbs = cat(logProbParts, 0);
            oldValues = cat(valueParts, 0).masked_fill(mask.logical_not(), 0);
            referenceLogProbs = cat(referenceParts, 0);
        }

        var beta = kl.Value;
        var klTokens = PpoLosses.Kl(oldLogProbs, referenceLogProbs, config.KlEstimator).masked_fill(mask.logical_not(), 0);  // (B, R)
        var scoreTensor = ScoresTensor(scores, batch.Mask.shape[1], device);
        var rewards = PpoLosses.Rewards(scoreTensor, klTokens, beta, mask);
        if (config.WhitenRewards) rewards = PpoLosses.Whiten(rewards, mask, shiftMean: false);
        var (advantages, returns) = PpoLosses.Gae(rewards, oldValues, mask, config.Gamma, config.Lam);
        advantages = PpoLosses.Whiten(advantages, mask);

        var sums = new Dictionary<string, double>();
        void Add(string key, double value) => sums[key] = sums.GetValueOrDefault(key) + value;
        double ratioSum = 0, ratioSquares = 0, ratioTokens = 0;
        var updates = 0;
        for (var epoch = 0; epoch < config.NumPpoEpochs; epoch++)
        {
            var order = TrainerOptimizer.EpochOrder(b, config.Seed + (ulong)iteration * 7919, epoch);
            for (var start = 0; start < b; start += config.MiniBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var stepScope = NewDisposeScope();
                var rows = tensor(order.Skip(start).Take(config.MiniBatchSize).Select(i => (long)i).ToArray(), device: device);
                var part = batch.Select(rows);
                var hidden = part.ResponseHidden(model.Policy);
                var logits = PpoBatch.ResponseLogits(model.Policy, hidden, config.Temperature);
                var logProbs = part.LogProbs(logits);
                var values = model.ValueHead.forward(hidden);
                var (policyLoss, policyClip) = PpoLosses.PolicyLoss(logProbs, oldLogProbs.index_select(0, rows), advantages.index_select(0, rows), part.Mask, config.Cliprange);
                var (valueLoss, valueClip) = PpoLosses.ValueLoss(values, oldValues.index_select(0, rows), returns.index_select(0, rows), part.Mask, config.CliprangeValue);
                var loss = policyLoss + config.VfCoef * valueLoss;
                optimizer.zero_grad();
                loss.backward();
                var gradNorm = nn.utils.clip_grad_norm_(parameters, config.MaxGradNorm);
                optimizer.step();
                updates++;

                using var noGrad = no_grad();
                var oldPart = oldLogProbs.index_select(0, rows);
                var ratio = (logProbs - oldPart).exp().masked_select(part.Mask).to(ScalarType.Float64);
                ratioSum += ratio.sum().item<double>();
                ratioSquares += ratio.square().sum().item<double>();
                ratioTokens += ratio.shape[0];
                var entropy = logits.logsumexp(-1) - (logits.softmax(-1) * logits).sum(-1);                  // (M, R)
                Add("policy/approxkl_avg", PpoLosses.ApproxKl(logProbs, oldPart, part.Mask).item<float>());
                Add("policy/clipfrac_avg", policyClip.item<float>());
                Add("policy/entropy_avg", PpoLosses.MaskedMean(entropy, part.Mask).item<float>());
                Add("loss/policy_avg", policyLoss.item<float>());
                Add("loss/value_avg", valueLoss.item<float>());
                Add("val/clipfrac_avg", valueClip.item<float>());
                Add("grad_norm", gradNorm);
            }
        }

        using var noGradMetrics = no_grad();
        var meanKl = klTokens.sum(1).mean().item<float>();
        var meanScore = rawScores.Average(s => (double)s.Sum());
        var nonScore = -beta * meanKl;
        var metrics = sums.ToDictionary(kv => kv.Key, kv => kv.Value / updates);
        var ratioMean = ratioSum / ratioTokens;
        metrics["val/ratio"] = ratioMean;
        metrics["val/ratio_var"] = ratioTokens > 1 ? (ratioSquares - ratioTokens * ratioMean * ratioMean) / (ratioTokens - 1) : 0;
        metrics["objective/kl"] = meanKl;
        metrics["objective/entropy"] = (-oldLogProbs.masked_fill(mask.logical_not(), 0)).sum(1).mean().item<float>();
        metrics["objective/scores"] = meanScore;
        metrics["objective/non_score_reward"] = nonScore;
        metrics["objective/rlhf_reward"] = meanScore + nonScore;
        metrics["objective/kl_coef"] = beta;
        metrics["val/num_eos_tokens"] = samples.Count(s => s.Stopped);
        metrics["learning_rate"] = optimizer.ParamGroups.First().LearningRate;
        kl.Update(meanKl, b);
        return metrics;
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

    private static Tensor ScoresTensor(float[][] scores, long width, Device device)
    {
        var flat = new float[scores.Length * width];
        for (var i = 0; i < scores.Length; i++) scores[i].CopyTo(flat, i * width);
        return tensor(flat, [scores.Length, width], device: device);
    }
}
