namespace PreferenceStudio.Core.Training;

/// <summary>One point of a run's metric time series; keys follow TRL (loss, rewards/margins, ...).</summary>
public sealed class RunMetric
{
    private RunMetric() { }

    public RunMetric(long runId, int step, string key, double value, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 100)
            throw new DomainException("A metric key must have 1 to 100 characters.");
        RunId = runId;
        Step = step;
        Key = key;
        Value = value;
        RecordedAt = at;
    }

    public long Id { get; private set; }
    public long RunId { get; private set; }
    public int Step { get; private set; }
    public string Key { get; private set; } = "";
    public double Value { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}
