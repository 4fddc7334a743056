using System.Globalization;

namespace PreferenceStudio.Jobs.Loop;

/// <summary>Where a round's files live in the store (relative paths, as model versions record theirs).</summary>
public static class RoundFiles
{
    public static string Folder(long roundId) => $"rounds/{roundId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The round's DPO pairs in TRL's preference layout, each naming its source ("human" or "reward_model").</summary>
    public static string Pairs(long roundId) => $"{Folder(roundId)}/pairs.jsonl";

    /// <summary>The labels behind the round's human pairs (<see cref="Export.PairCounts"/>), written before the pairs.</summary>
    public static string PairCounts(long roundId) => $"{Folder(roundId)}/pair-counts.json";
}
