namespace PreferenceStudio.Core.Training;

public enum ModelKind
{
    Policy = 0,
    Reward = 1,
    /// <summary>Predicts an error category per token of a response (a span reward model).</summary>
    SpanReward = 2,
    /// <summary>The probability that a response satisfies a principle given with it (a principle reward model).</summary>
    PrincipleReward = 3,
}

/// <summary>
/// A checkpoint in the model store, and where it came from: its origin, the model it was trained from (parent), the
/// run that made it, the reference model a preference run held it to, and the labels that run saw.
/// </summary>
public sealed class ModelVersion
{
    private ModelVersion() { }

    public ModelVersion(string name, ModelKind kind, string checkpointPath, int? parentId = null, long? trainingRunId = null,
        ModelOrigin origin = ModelOrigin.Base, int? referenceModelId = null, long? roundId = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            throw new DomainException("A model version name must have 1 to 200 characters.");
        if (string.IsNullOrWhiteSpace(checkpointPath))
            throw new DomainException("A model version needs the folder of its checkpoint.");
        if (!Enum.IsDefined(origin))
            throw new DomainException($"Unknown model origin {(int)origin}.");
        if (origin == ModelOrigin.Base && (trainingRunId is not null || referenceModelId is not null))
            throw new DomainException($"Model version '{name}': a base model was not trained here, so it has no training run and no reference model.");
        if (origin is ModelOrigin.RewardRun or ModelOrigin.DpoRun && (trainingRunId is null || parentId is null))
            throw new DomainException($"Model version '{name}': a model made by a {origin} names its training run and the model it started from (parent).");
        if (origin == ModelOrigin.Round && (parentId is null || roundId is null))
            throw new DomainException($"Model version '{name}': a model made by a round names the round and the policy it started from (parent).");
        if (origin != ModelOrigin.Round && roundId is not null)
            throw new DomainException($"Model version '{name}': only a model made by a round names a round.");
        Name = name.Trim();
        Kind = kind;
        Origin = origin;
        CheckpointPath = checkpointPath;
        ParentId = parentId;
        TrainingRunId = trainingRunId;
        ReferenceModelId = referenceModelId;
        RoundId = roundId;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public ModelKind Kind { get; private set; }
    public int? ParentId { get; private set; }
    public long? TrainingRunId { get; private set; }
    public ModelOrigin Origin { get; private set; }

    /// <summary>The loop round that made this policy.</summary>
    public long? RoundId { get; private set; }

    /// <summary>The frozen model a preference run (DPO) measured its log-probability ratios against.</summary>
    public int? ReferenceModelId { get; private set; }

    /// <summary>How many current labels the run that made this model read; null for a model not trained on labels here.</summary>
    public int? LabelsSeen { get; private set; }

    /// <summary>When the newest of those labels was given: a label after this one had no part in this model.</summary>
    public DateTimeOffset? NewestLabelAt { get; private set; }

    /// <summary>Folder holding model.safetensors, config.json and tokenizer.json, relative to the model store.</summary>
    public string CheckpointPath { get; private set; } = "";

    public string MetricsJson { get; private set; } = "{}";
    public DateTimeOffset CreatedAt { get; private set; }

    public void RecordMetrics(string metricsJson) => MetricsJson = metricsJson;

    public void RecordLabelsSeen(int count, DateTimeOffset? newestAt)
    {
        if (Origin == ModelOrigin.Base)
            throw new DomainException($"Model version '{Name}' is a base model; it saw no labels here.");
        if (count < 0)
            throw new DomainException($"Model version '{Name}': labels seen cannot be negative ({count}).");
        if ((count == 0) != (newestAt is null))
            throw new DomainException($"Model version '{Name}': the newest label's time is given exactly when labels were seen ({count}).");
        LabelsSeen = count;
        NewestLabelAt = newestAt;
    }
}
