using static TorchSharp.torch;

namespace PreferenceStudio.Training.Spans;

/// <summary>A finished span-model run: every step's metrics, the held-out metrics ("eval_" keys) and the examples
/// left out for being longer than max_length.</summary>
public sealed record SpanTrainingResult(IReadOnlyList<TrainingStep> History, IReadOnlyDictionary<string, double> Eval, int SkippedTooLong);

/// <summary>
/// Trains a <see cref="SpanRewardModel"/> on tagged responses with cross-entropy over response tokens only (prompt and
/// padding ignored), in <see cref="TrainerLoop{TExample}"/>'s frame: AdamW, linear warmup then cosine decay, gradient
/// clipping, the examples in a seeded order per epoch, every tensor of a step in that step's dispose scope, resumable
/// checkpoints, training mode (dropout off unless the config says otherwise) during the run only.
/// </summary>
public sealed class SpanRewardTrainer
{
    private const long PadTokenId = 0;  // any id: padded positions are ignored by the loss and the metrics
    private readonly SpanRewardModel model;
    private readonly SpanRewardConfig config;

    public SpanRewardTrainer(SpanRewardModel model, SpanRewardConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.ThrowIfInvalid();
        if (config.ClassWeights is { } weights && weights.Count != model.Classes)
            throw new ArgumentException(
                $"class_weights has {weights.Count} weights; the model has {model.Classes} classes (\"no error\" and {string.Join(", ", model.Categories)})", nameof(config));
        this.model = model;
        this.config = config;
    }

    public SpanTrainingResult Train(IReadOnlyList<SpanExample> train, IReadOnlyList<SpanExample>? eval = null,
        IProgress<TrainingStep>? progress = null, CancellationToken cancellationToken = default) =>
        Train(train, eval, progress, checkpoints: null, cancellationToken);

    /// <summary>
    /// Trains on <paramref name="train"/>, then evaluates on <paramref name="eval"/>. With <paramref name="checkpoints"/>,
    /// writes a resumable checkpoint every SaveSteps steps (the model folder plus optimizer, generator and
    /// trainer_state.json), and with its ResumeFrom continues a run from one on the same batches.
    /// </summary>
    public SpanTrainingResult Train(IReadOnlyList<SpanExample> train, IReadOnlyList<SpanExample>? eval,
        IProgress<TrainingStep>? progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckExamples(train, nameof(train));
        if (eval is not null) CheckExamples(eval, nameof(eval));
        var usable = TrainerLoop.Usable(train, Fits, config.MaxLength, "examples");
        var history = new TrainerLoop<SpanExample>(config, model.TrainableParameters())
        {
            Forward = batch =>
            {
                var (loss, metrics, _) = Forward(batch.Examples);
                return (loss, metrics);
            },
            Train = () => model.train(),
            Eval = () => model.eval(),
            DisableDropout = model.DisableDropout,
            SaveModel = model.SavePretrained,
            LoadModel = model.LoadWeights,
        }.Run(usable, progress, checkpoints, cancellationToken);

        var evalMetrics = eval is { Count: > 0 } ? Evaluate(eval.Where(Fits).ToList()) : new Dictionary<string, double>();
        return new SpanTrainingResult(history, evalMetrics, train.Count - usable.Count);
    }

    /// <summary>Optimizer steps that <see cref="Train"/> will take on these examples (those that fit max_length).</summary>
    public long TotalSteps(IReadOnlyList<SpanExample> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        return config.TotalSteps(train.Count(Fits));
    }

    /// <summary>
    /// Held-out metrics without gradients, in eval mode, keys prefixed "eval_": the loss (mean over batches,
    /// weighted by their response tokens), and per category the token-level precision, recall and F1 of the
    /// arg-max class (<see cref="SpanMetrics"/>), macro F1 and accuracy.
    /// </summary>
    public Dictionary<string, double> Evaluate(IReadOnlyList<SpanExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        CheckExamples(examples, nameof(examples));
        var counts = new SpanMetrics(model.Categories);
        double lossSum = 0;
        long tokens = 0;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            for (var start = 0; start < examples.Count; start += config.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = examples.Skip(start).Take(config.BatchSize).ToList();
                var (_, metrics, batchTensors) = Forward(batch);
                var batchTokens = batch.Sum(e => e.Response.Count);
                lossSum += metrics["loss"] * batchTokens;
                tokens += batchTokens;
                counts.Add(batchTensors.Predicted.data<long>().ToArray(), batchTensors.Labels.data<long>().ToArray());
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        var result = counts.ToDictionary("eval_");
        result["eval_loss"] = tokens == 0 ? 0 : lossSum / tokens;
        return result;
    }

    private (Tensor Loss, Dictionary<string, double> Metrics, (Tensor Predicted, Tensor Labels) Tensors) Forward(IReadOnlyList<SpanExample> examples)
    {
        var batch = SpanBatch.Collate(examples, PadTokenId, model.Device);
        var logits = model.Logits(batch.InputIds);                                       // (B, T, K + 1)
        using var weights = config.ClassWeights is { } w ? tensor(w.Select(x => (float)x).ToArray(), device: model.Device) : null;
        var loss = SpanLosses.TokenCrossEntropy(logits, batch.Labels, weights);
        using var noGrad = no_grad();
        var predicted = logits.argmax(-1);                                               // (B, T)
        var response = batch.Labels.ne(SpanBatch.Ignore);
        var flagged = predicted.ne(0).logical_and(response);
        var metrics = new Dictionary<string, double>
        {
            ["loss"] = loss.item<float>(),
            ["accuracy"] = predicted.eq(batch.Labels).logical_and(response).sum().item<long>() / (double)Math.Max(1, response.sum().item<long>()),
            ["flagged_share"] = flagged.sum().item<long>() / (double)Math.Max(1, response.sum().item<long>()),
        };
        return (loss, metrics, (predicted, batch.Labels));
    }

    private bool Fits(SpanExample example) => example.Length <= config.MaxLength;

    private void CheckExamples(IReadOnlyList<SpanExample> examples, string name)
    {
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (e.Response.Count == 0)
                throw new ArgumentException($"{name}[{i}]: a response needs at least one token", name);
            if (e.Tags.Count != e.Response.Count)
                throw new ArgumentException($"{name}[{i}]: {e.Tags.Count} tags for {e.Response.Count} response tokens", name);
            if (e.Tags.Where(t => t < 0 || t >= model.Classes).Select(t => (int?)t).FirstOrDefault() is { } bad)
                throw new ArgumentException($"{name}[{i}]: tag {bad} is not a class of the model (0 to {model.Categories.Count})", name);
        }
    }
}
