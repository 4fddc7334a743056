using System.Text.Json;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// What a pass of <see cref="PreferencePairSource"/> read, kept and left out. <see cref="Labels"/> and
/// <see cref="NewestLabelAt"/> cover every current label of a pair-making kind that was read, kept or not:
/// they are what a model trained on the pairs "saw".
/// </summary>
public sealed class PairCounts
{
    public Dictionary<PairSourceKind, int> LabelsRead { get; init; } = [];
    public Dictionary<PairSourceKind, int> Kept { get; init; } = [];
    public Dictionary<LeftOutReason, int> LeftOut { get; init; } = [];
    public DateTimeOffset? NewestLabelAt { get; set; }

    public int Labels => LabelsRead.Values.Sum();
    public int Pairs => Kept.Values.Sum();

    public int KeptOf(PairSourceKind kind) => Kept.GetValueOrDefault(kind);
    public int LeftOutFor(LeftOutReason reason) => LeftOut.GetValueOrDefault(reason);

    internal void Read(PairSourceKind kind, DateTimeOffset labelledAt)
    {
        LabelsRead[kind] = LabelsRead.GetValueOrDefault(kind) + 1;
        if (NewestLabelAt is null || labelledAt > NewestLabelAt)
            NewestLabelAt = labelledAt;
    }

    internal void Keep(PairSourceKind kind) => Kept[kind] = KeptOf(kind) + 1;

    internal void LeaveOut(LeftOutReason reason, int count = 1)
    {
        if (count > 0)
            LeftOut[reason] = LeftOutFor(reason) + count;
    }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static PairCounts FromJson(string json) =>
        JsonSerializer.Deserialize<PairCounts>(json) ?? throw new FormatException("pair counts: the JSON is null");
}
