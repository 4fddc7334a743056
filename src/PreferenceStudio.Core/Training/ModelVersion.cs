namespace PreferenceStudio.Core.Training;

public enum ModelKind
{
    Policy = 0,
    Reward = 1,
}

/// <summary>A checkpoint in the model store, and where it came from.</summary>
public sealed class ModelVersion
{
    private ModelVersion() { }

    public ModelVersion(string name, ModelKind kind, string checkpointPath, int? parentId = null, long? trainingRunId = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            throw new DomainException("A model version name must have 1 to 200 characters.");
        if (string.IsNullOrWhiteSpace(checkpointPath))
            throw new DomainException("A model version needs the folder of its checkpoint.");
        Name = name.Trim();
        Kind = kind;
        CheckpointPath = checkpointPath;
        ParentId = parentId;
        TrainingRunId = trainingRunId;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public ModelKind Kind { get; private set; }
    public int? ParentId { get; private set; }
    public long? TrainingRunId { get; private set; }

    /// <summary>Folder holding model.safetensors, config.json and tokenizer.json, relative to the model store.</summary>
    public string CheckpointPath { get; private set; } = "";

    public string MetricsJson { get; private set; } = "{}";
    public DateTimeOffset CreatedAt { get; private set; }

    public void RecordMetrics(string metricsJson) => MetricsJson = metricsJson;
}
