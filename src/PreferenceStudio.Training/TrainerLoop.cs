using PreferenceStudio.Models.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PreferenceStudio.Training;

/// <summary>One optimizer step's examples, and their places in the run's list of usable examples (DPO reads its
/// stored reference log-probabilities by them).</summary>
public sealed record TrainingBatch<TExample>(IReadOnlyList<TExample> Examples, IReadOnlyList<int> Indices);

/// <summary>
/// The frame the supervised trainers (reward, DPO, span, principle) share, as Hugging Face's Trainer is theirs:
/// seed, AdamW (<see cref="TrainerOptimizer"/>) with linear warmup then cosine decay (<see cref="WarmupCosineSchedule"/>,
/// a LambdaLR), resume from a checkpoint (weights, moments, generator, the schedule replayed to its step), the epochs
/// in a seeded order per epoch (<see cref="TrainerOptimizer.EpochOrder"/>), per step a dispose scope around the forward
/// pass, backward, gradient clipping, the optimizer and schedule steps, learning_rate and grad_norm metrics and a
/// <see cref="TrainingStep"/> report, a checkpoint every save_steps, and training mode (dropout off unless the config
/// says otherwise) during the run only. A trainer brings what differs: its batches' forward pass (loss and metrics) and
/// its checkpoint files; it checks its inputs, picks the usable examples and evaluates around <see cref="Run"/>.
/// </summary>
public sealed class TrainerLoop<TExample>
{
    private readonly OptimizerConfig config;
    private readonly IReadOnlyList<Parameter> parameters;

    /// <param name="config">The optimizer settings, validated by the trainer.</param>
    /// <param name="parameters">What the optimizer steps and clips; the rest of the model stays as it is.</param>
    public TrainerLoop(OptimizerConfig config, IReadOnlyList<Parameter> parameters)
    {
        this.config = config ?? throw new ArgumentNullException(nameof(config));
        this.parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
    }

    /// <summary>The loss of a batch (with its graph, for backward) and its metrics; runs inside the step's dispose
    /// scope, in training mode. The loop adds grad_norm and learning_rate to the metrics.</summary>
    public required Func<TrainingBatch<TExample>, (Tensor Loss, Dictionary<string, double> Metrics)> Forward { get; init; }

    /// <summary>Puts the trained model in training mode, before the first step.</summary>
    public required Action Train { get; init; }

    /// <summary>Puts it back in eval mode, after the last step, also when the run fails or is cancelled.</summary>
    public required Action Eval { get; init; }

    /// <summary>Sets the model's dropout to 0; called after <see cref="Train"/> when the config's DisableDropout is on.</summary>
    public required Action DisableDropout { get; init; }

    /// <summary>Writes the trainer's own files (the model, anything else) into a checkpoint folder.</summary>
    public required Action<string> SaveModel { get; init; }

    /// <summary>Reads them back from a checkpoint folder when the run resumes.</summary>
    public required Action<string> LoadModel { get; init; }

    /// <summary>Called with the checkpoint folder once a resumed run's checkpoint is loaded and found to be of this run.</summary>
    public Action<string>? Resumed { get; init; }

    /// <summary>Called when the run starts from the first step (not resumed), after the optimizer is made.</summary>
    public Action? Starting { get; init; }

    /// <summary>
    /// Trains on <paramref name="usable"/> and returns every step's report. With <paramref name="checkpoints"/>, writes
    /// a resumable checkpoint every SaveSteps steps, and with its ResumeFrom, continues a run from one: the resumed run
    /// takes the same steps, on the same batches, at the same learning rates, to the same weights as one that never
    /// stopped. A checkpoint of a run with another step count or seed is refused.
    /// </summary>
    public List<TrainingStep> Run(IReadOnlyList<TExample> usable, IProgress<TrainingStep>? progress,
        TrainingCheckpoints? checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usable);
        if (usable.Count == 0) throw new ArgumentException("a run needs at least one example", nameof(usable));

        manual_seed((long)config.Seed);
        var totalSteps = config.TotalSteps(usable.Count);
        var stepsPerEpoch = (usable.Count + config.BatchSize - 1) / config.BatchSize;
        using var optimizer = TrainerOptimizer.AdamW(parameters, config.LearningRate, config.WeightDecay);
        var schedule = new WarmupCosineSchedule(config.LearningRate, (long)Math.Ceiling(config.WarmupRatio * totalSteps), totalSteps)
            .ToLambdaLR(optimizer);
        var history = new List<TrainingStep>((int)totalSteps);
        var step = 0L;
        if (checkpoints?.ResumeFrom is { } resumeFrom)
        {
            var state = TrainerCheckpoint.Load(resumeFrom, LoadModel, optimizer);
            if (state.TotalSteps != totalSteps || state.Seed != config.Seed)
                throw new InvalidOperationException(
                    $"checkpoint {resumeFrom} is of a run with {state.TotalSteps} steps and seed {state.Seed}; this one has {totalSteps} steps and seed {config.Seed}");
            Resumed?.Invoke(resumeFrom);
            step = state.GlobalStep;
            history.AddRange(state.LogHistory);
            // The optimizer's state holds the moments, not the schedule's position: without this the resumed run would
            // restart the warmup.
            for (var s = 0; s < step; s++) schedule.step();
        }
        else
        {
            Starting?.Invoke();
        }

        Train();
        if (config.DisableDropout) DisableDropout();
        try
        {
            for (var epoch = (int)(step / stepsPerEpoch); epoch < config.Epochs; epoch++)
            {
                var order = TrainerOptimizer.EpochOrder(usable.Count, config.Seed, epoch);
                for (var batchIndex = (int)(step - (long)epoch * stepsPerEpoch); batchIndex < stepsPerEpoch; batchIndex++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var start = batchIndex * config.BatchSize;
                    var indices = order.Skip(start).Take(config.BatchSize).ToList();
                    var batch = new TrainingBatch<TExample>(indices.Select(i => usable[i]).ToList(), indices);
                    var learningRate = optimizer.ParamGroups.First().LearningRate;
                    using (NewDisposeScope())
                    {
                        var (loss, metrics) = Forward(batch);
                        optimizer.zero_grad();
                        loss.backward();
                        metrics["grad_norm"] = nn.utils.clip_grad_norm_(parameters, config.MaxGradNorm);
                        optimizer.step();
                        schedule.step();
                        metrics["learning_rate"] = learningRate;
                        step++;
                        var report = new TrainingStep(step, totalSteps, epoch + (double)Math.Min(start + config.BatchSize, order.Length) / order.Length, metrics);
                        history.Add(report);
                        progress?.Report(report);
                    }
                    if (checkpoints is not null && step % checkpoints.SaveSteps == 0 && step < totalSteps)
                        checkpoints.Save(step, folder => TrainerCheckpoint.Save(folder, SaveModel, optimizer,
                            new TrainerState(step, totalSteps, config.Seed, history)));
                }
            }
        }
        finally
        {
            Eval();
        }
        return history;
    }
}

/// <summary>What the trainers share before <see cref="TrainerLoop{TExample}.Run"/>.</summary>
public static class TrainerLoop
{
    /// <summary>The examples that fit max_length, in their order (the others are left out and counted, as TRL does);
    /// refuses a run none of whose <paramref name="what"/> ("pairs", "examples") fits.</summary>
    public static List<TExample> Usable<TExample>(IReadOnlyList<TExample> train, Func<TExample, bool> fits, int maxLength, string what)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(fits);
        var usable = train.Where(fits).ToList();
        if (usable.Count == 0)
            throw new ArgumentException($"none of the {train.Count} training {what} fits max_length {maxLength}", nameof(train));
        return usable;
    }
}
