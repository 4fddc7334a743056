using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Training.Principles;

/// <summary>
/// Trains a <see cref="PrincipleRewardModel"/> on principle verdicts with weighted binary cross-entropy
/// (<see cref="PrincipleLoss"/>), in the frame <see cref="RewardTrainer"/> trains a Bradley-Terry model in
/// (<see cref="TrainerLoop{TExample}"/>): AdamW, linear warmup then cosine decay (LambdaLR), gradient clipping, seeded
/// example order, every tensor of a step in that step's dispose scope, resumable checkpoints, training mode (dropout
/// off unless the config says otherwise) during the run only.
/// </summary>
public sealed class PrincipleRewardTrainer
{
    private const long PadTokenId = 0;  // any id: the score is read at the last real token, before any pad
    private readonly PrincipleRewardModel model;
    private readonly PrincipleRewardConfig config;

    public PrincipleRewardTrainer(PrincipleRewardModel model, PrincipleRewardConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ThrowIfInvalid();
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.config = config;
    }

    public PrincipleTrainingResult Train(IReadOnlyList<PrincipleExample> train, IReadOnlyList<PrincipleExample>? eval = null,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default) =>
        Train(train, eval, progress, checkpoints: null, cancellationToken);

    /// <summary>
    /// Trains on <paramref name="train"/>, then evaluates on <paramref name="eval"/> (<see cref="Evaluate"/>). With
    /// <paramref name="checkpoints"/>, writes a resumable checkpoint every SaveSteps steps, and with its ResumeFrom
    /// continues a run from one, on the same batches, to the same weights as a run that never stopped.
    /// </summary>
    public PrincipleTrainingResult Train(IReadOnlyList<PrincipleExample> train, IReadOnlyList<PrincipleExample>? eval,
        IProgress<TrainingStep>? progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        Check(train, nameof(train));
        if (eval is not null) Check(eval, nameof(eval));
        var usable = TrainerLoop.Usable(train, Fits, config.MaxLength, "examples");
        var history = new TrainerLoop<PrincipleExample>(config, model.TrainableParameters())
        {
            Forward = batch => Forward(batch.Examples),
            Train = () => model.train(),
            Eval = () => model.eval(),
            DisableDropout = model.DisableDropout,
            SaveModel = model.SavePretrained,
            LoadModel = model.LoadWeights,
        }.Run(usable, progress, checkpoints, cancellationToken);

        var evalMetrics = eval is { Count: > 0 } ? Evaluate(eval) : new Dictionary<string, double>();
        return new PrincipleTrainingResult(history, evalMetrics, train.Count - usable.Count);
    }

    /// <summary>Optimizer steps that <see cref="Train"/> will take on these examples (those that fit max_length).</summary>
    public long TotalSteps(IReadOnlyList<PrincipleExample> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return config.TotalSteps(train.Count(Fits));
    }

    /// <summary><see cref="PrincipleMetrics"/> ("eval_" keys) over the examples that fit max_length, without
    /// gradients, in eval mode.</summary>
    public Dictionary<string, double> Evaluate(IReadOnlyList<PrincipleExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var usable = examples.Where(Fits).ToList();
        var metrics = new PrincipleMetrics();
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < usable.Count; start += config.BatchSize)
            {
                using var scope = NewDisposeScope();
                var part = usable.Skip(start).Take(config.BatchSize).ToList();
                var batch = PrincipleBatch.Collate(part, PadTokenId, model.Device);
                var logits = model.Logits(batch.InputIds, batch.AttentionMask);
                var losses = nn.functional.binary_cross_entropy_with_logits(logits, batch.Targets, reduction: nn.Reduction.None);
                var z = logits.cpu().data<float>().ToArray();
                var l = losses.cpu().data<float>().ToArray();
                for (var i = 0; i < part.Count; i++)
                    metrics.Add(part[i].Principle, z[i], part[i].Satisfied, part[i].Weight, l[i]);
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return metrics.ToDictionary("eval_");
    }

    /// <summary>The batch's weighted binary cross-entropy, and its loss, accuracy and mean p(yes).</summary>
    private (Tensor Loss, Dictionary<string, double> Metrics) Forward(IReadOnlyList<PrincipleExample> examples)
    {
        var batch = PrincipleBatch.Collate(examples, PadTokenId, model.Device);
        var logits = model.Logits(batch.InputIds, batch.AttentionMask);            // (B)
        var loss = PrincipleLoss.BinaryCrossEntropy(logits, batch.Targets, batch.Weights);
        using var noGrad = no_grad();
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(),
            ["accuracy"] = logits.ge(0).to(ScalarType.Float32).eq(batch.Targets).to(ScalarType.Float32).mean().item<float>(),
            ["mean_p"] = logits.sigmoid().mean().item<float>(),
        };
        return (loss, metrics);
    }

    private bool Fits(PrincipleExample example) => example.InputIds.Count <= config.MaxLength;

    private static void Check(IReadOnlyList<PrincipleExample> examples, string name)
    {
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i] ?? throw new ArgumentException($"{name}[{i}] is null", name);
            if (example.InputIds is not { Count: > 0 })
                throw new ArgumentException($"{name}[{i}]: an example needs at least one token", name);
            if (string.IsNullOrWhiteSpace(example.Principle))
                throw new ArgumentException($"{name}[{i}]: an example names its principle", name);
            if (!(example.Weight > 0) || !double.IsFinite(example.Weight))
                throw new ArgumentException($"{name}[{i}]: weight must be a positive number, got {example.Weight}", name);
        }
    }
}

/// <summary>A finished principle-model run: every step's metrics, the held-out metrics ("eval_" keys) and the
/// examples left out for being longer than max_length.</summary>
public sealed record PrincipleTrainingResult(IReadOnlyList<TrainingStep> History, IReadOnlyDictionary<string, double> Eval, int SkippedTooLong);
