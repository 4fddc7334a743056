using PreferenceStudio.Models;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>
/// Trains a causal LM policy with DPO (or IPO, robust DPO, cDPO, RPO: <see cref="DpoConfig"/>) against a frozen
/// reference, as TRL's DPOTrainer: the reference's log-probabilities of every training example are computed once,
/// before the first step, in eval mode without gradients, and the reference is never stepped; each step runs the
/// chosen and the rejected sequences in one forward pass, masks the prompt and the padding out of the response
/// log-probabilities, and takes an AdamW step with linear warmup, cosine decay and gradient clipping, in
/// <see cref="TrainerLoop{TExample}"/>'s frame (a dispose scope per step, resumable checkpoints, the policy in training
/// mode with dropout off, unless the config says otherwise, during the run only); save the policy with
/// <see cref="CausalLM.SavePretrained"/>.
/// </summary>
public sealed class DpoTrainer
{
    private const long PadTokenId = 0;  // any id: padded positions are masked out of the log-probabilities
    private readonly CausalLM policy;
    private readonly CausalLM reference;
    private readonly DpoConfig config;

    /// <summary><paramref name="reference"/>: π_ref, usually the policy's starting checkpoint loaded a second time;
    /// it is put in eval mode and only ever read without gradients.</summary>
    public DpoTrainer(CausalLM policy, CausalLM reference, DpoConfig config)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(config);
        config.ThrowIfInvalid();
        if (ReferenceEquals(policy, reference))
            throw new ArgumentException("the reference must be a separate model (load the policy's checkpoint a second time): the policy is trained, the reference stays frozen", nameof(reference));
        if (policy.VocabSize != reference.VocabSize)
            throw new ArgumentException($"the policy's vocabulary ({policy.VocabSize} tokens) and the reference's ({reference.VocabSize}) differ: they must share a tokenizer", nameof(reference));
        this.policy = policy;
        this.reference = reference;
        reference.eval();  // and stays so: π_ref is only ever read, without gradients
        this.config = config;
    }

    /// <summary>Trains on <paramref name="train"/>, then evaluates on <paramref name="eval"/>.</summary>
    public DpoTrainingResult Train(IReadOnlyList<DpoExample> train, IReadOnlyList<DpoExample>? eval = null,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default) =>
        Train(train, eval, progress, checkpoints: null, cancellationToken);

    /// <summary>
    /// Trains on <paramref name="train"/>, then evaluates on <paramref name="eval"/>. With <paramref name="checkpoints"/>,
    /// writes a resumable checkpoint every SaveSteps steps (the policy, the optimizer, the generator, the reference
    /// log-probabilities and the metrics so far), and with its ResumeFrom continues a run from one: the reference
    /// log-probabilities are read back, not recomputed, and the resumed run takes the same steps, on the same batches,
    /// to the same weights as one that never stopped.
    /// </summary>
    public DpoTrainingResult Train(IReadOnlyList<DpoExample> train, IReadOnlyList<DpoExample>? eval,
        IProgress<TrainingStep>? progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckExamples(train, nameof(train));
        if (eval is not null) CheckExamples(eval, nameof(eval));
        var usable = TrainerLoop.Usable(train, Fits, config.MaxLength, "examples");
        ReferenceLogProbs? referenceLogProbs = null;  // computed when the run starts, read back when it resumes
        var history = new TrainerLoop<DpoExample>(config, policy.parameters().ToList())
        {
            Forward = batch =>
            {
                var (referenceChosen, referenceRejected) = referenceLogProbs!.Take(batch.Indices, policy.Device);
                return Forward(batch.Examples, referenceChosen, referenceRejected);
            },
            Train = () => policy.train(),
            Eval = () => policy.eval(),
            DisableDropout = policy.DisableDropout,
            SaveModel = folder =>
            {
                policy.SavePretrained(folder);
                referenceLogProbs!.Save(folder);
            },
            LoadModel = policy.LoadWeights,
            Starting = () => referenceLogProbs = PrecomputeReferenceLogProbs(usable),
            Resumed = folder =>
            {
                referenceLogProbs = ReferenceLogProbs.Load(folder);
                if (referenceLogProbs.Count != usable.Count)
                    throw new InvalidOperationException(
                        $"checkpoint {folder} holds reference log-probabilities of {referenceLogProbs.Count} examples; this run has {usable.Count}");
            },
        }.Run(usable, progress, checkpoints, cancellationToken);

        var evalMetrics = eval is { Count: > 0 } ? Evaluate(eval) : new Dictionary<string, double>();
        return new DpoTrainingResult(history, evalMetrics, train.Count - usable.Count);
    }

    /// <summary>Optimizer steps that <see cref="Train"/> will take on these examples (those that fit max_length).</summary>
    public long TotalSteps(IReadOnlyList<DpoExample> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return config.TotalSteps(train.Count(Fits));
    }

    /// <summary>log π_ref of every example's chosen and rejected response, in eval mode without gradients, in
    /// batches of per_device_train_batch_size.</summary>
    public ReferenceLogProbs PrecomputeReferenceLogProbs(IReadOnlyList<DpoExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var chosen = new float[examples.Count];
        var rejected = new float[examples.Count];
        reference.eval();
        using var noGrad = no_grad();
        for (var start = 0; start < examples.Count; start += config.BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = DpoBatch.Collate(examples.Skip(start).Take(config.BatchSize).ToList(), PadTokenId, reference.Device);
            var logps = SequenceLogProbs.Of(reference, batch).cpu().data<float>().ToArray();  // (2B)
            Array.Copy(logps, 0, chosen, start, batch.Pairs);
            Array.Copy(logps, batch.Pairs, rejected, start, batch.Pairs);
        }
        return new ReferenceLogProbs(chosen, rejected);
    }

    /// <summary>Loss and reward metrics over held-out examples (those that fit max_length), without gradients, in
    /// eval mode; weighted means, keys prefixed "eval_".</summary>
    public Dictionary<string, double> Evaluate(IReadOnlyList<DpoExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        CheckExamples(examples, nameof(examples));
        var fitting = examples.Where(Fits).ToList();
        var referenceLogProbs = PrecomputeReferenceLogProbs(fitting);
        var sums = new Dictionary<string, double>();
        var totalWeight = 0.0;
        var wasTraining = policy.training;
        policy.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < fitting.Count; start += config.BatchSize)
            {
                using var scope = NewDisposeScope();
                var indices = Enumerable.Range(start, Math.Min(config.BatchSize, fitting.Count - start)).ToList();
                var (referenceChosen, referenceRejected) = referenceLogProbs.Take(indices, policy.Device);
                var batch = indices.Select(i => fitting[i]).ToList();
                var weight = batch.Sum(e => e.Weight);
                foreach (var (key, value) in Forward(batch, referenceChosen, referenceRejected).Metrics)
                    sums[key] = sums.GetValueOrDefault(key) + value * weight;
                totalWeight += weight;
            }
        }
        finally
        {
            policy.train(wasTraining);
        }
        return sums.ToDictionary(kv => "eval_" + kv.Key, kv => kv.Value / Math.Max(totalWeight, double.Epsilon));
    }

    private (Tensor Loss, Dictionary<string, double> Metrics) Forward(IReadOnlyList<DpoExample> examples, Tensor referenceChosen, Tensor referenceRejected)
    {
        var batch = DpoBatch.Collate(examples, PadTokenId, policy.Device);
        var b = batch.Pairs;
        var logps = SequenceLogProbs.Of(policy, batch);                            // (2B)
        var tokens = batch.CompletionTokens;                                       // (2B)
        var chosen = logps.narrow(0, 0, b);                                        // (B)
        var rejected = logps.narrow(0, b, b);                                      // (B)
        if (config.LossType == DpoLossType.Ipo)
        {
            // IPO compares per-token averages (TRL does the same), the reference's too.
            chosen = chosen / tokens.narrow(0, 0, b);
            rejected = rejected / tokens.narrow(0, b, b);
            referenceChosen = referenceChosen / tokens.narrow(0, 0, b);
            referenceRejected = referenceRejected / tokens.narrow(0, b, b);
        }
        var logits = DpoLosses.Logits(chosen, rejected, referenceChosen, referenceRejected);
        var loss = DpoLosses.WeightedMean(DpoLosses.ForType(config.LossType, logits, config.Beta, config.LabelSmoothing), batch.Weights);
        Tensor? nll = null;
        if (config.RpoAlpha is { } alpha)
        {
            nll = DpoLosses.Nll(logps.narrow(0, 0, b), tokens.narrow(0, 0, b), batch.Weights);
            loss = loss + alpha * nll;
        }

        using var noGrad = no_grad();
        var chosenRewards = config.Beta * (chosen - referenceChosen);              // (B)
        var rejectedRewards = config.Beta * (rejected - referenceRejected);        // (B)
        double Mean(Tensor values) => DpoLosses.WeightedMean(values, batch.Weights).item<float>();
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(),
            ["rewards/chosen"] = Mean(chosenRewards),
            ["rewards/rejected"] = Mean(rejectedRewards),
            ["rewards/accuracies"] = Mean(chosenRewards.gt(rejectedRewards).to(ScalarType.Float32)),
            ["rewards/margins"] = Mean(chosenRewards - rejectedRewards),
            ["logps/chosen"] = Mean(chosen),
            ["logps/rejected"] = Mean(rejected),
        };
        if (nll is not null) metrics["nll_loss"] = nll.item<float>();
        return (loss, metrics);
    }

    private bool Fits(DpoExample example) => example.LongestSequence <= config.MaxLength;

    private static void CheckExamples(IReadOnlyList<DpoExample> examples, string name)
    {
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            if (example.Prompt.Count == 0)
                throw new ArgumentException($"{name}[{i}]: the prompt needs at least one token, to predict the response's first", name);
            if (example.Chosen.Count == 0 || example.Rejected.Count == 0)
                throw new ArgumentException($"{name}[{i}]: chosen and rejected responses need at least one token each", name);
            if (!double.IsFinite(example.Weight) || example.Weight <= 0)
                throw new ArgumentException($"{name}[{i}]: weight must be finite and positive, got {example.Weight}", name);
        }
    }
}
