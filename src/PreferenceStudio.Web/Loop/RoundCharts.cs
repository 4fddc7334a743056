using System.Globalization;
using MudBlazor;

namespace PreferenceStudio.Web.Loop;

/// <summary>What a round measured, for the charts over rounds.</summary>
public sealed record RoundPoint(int Number, double? RewardAccuracy, double? WinRateVsPrevious, double? WinRateVsBase);

/// <summary>
/// The loop's curves over rounds as MudChart's line chart takes them: one label per round number and one series per
/// measure, a round that did not measure it (still running, failed) drawn as a gap.
/// </summary>
public sealed record RoundCharts(string[] Labels, IReadOnlyList<ChartSeries<double>> Series, IReadOnlyList<RoundPoint> Rounds)
{
    public const string RewardAccuracy = "reward model held-out accuracy";
    public const string WinRateVsPrevious = "win-rate vs previous policy";
    public const string WinRateVsBase = "win-rate vs base";

    public bool IsEmpty => Rounds.All(r => r.RewardAccuracy is null && r.WinRateVsPrevious is null && r.WinRateVsBase is null);

    public static RoundCharts From(IEnumerable<RoundPoint> rounds)
    {
        var ordered = rounds.OrderBy(r => r.Number).ToList();
        ChartSeries<double> Series(string name, Func<RoundPoint, double?> value) =>
            new() { Name = name, Data = ordered.Select(value).ToArray() };
        return new RoundCharts(
            ordered.Select(r => r.Number.ToString(CultureInfo.InvariantCulture)).ToArray(),
            [Series(RewardAccuracy, r => r.RewardAccuracy), Series(WinRateVsPrevious, r => r.WinRateVsPrevious), Series(WinRateVsBase, r => r.WinRateVsBase)],
            ordered);
    }

    /// <summary>A share as the table beside the chart writes it ("0.812"), or a dash.</summary>
    public static string Share(double? value) => value?.ToString("0.000", CultureInfo.InvariantCulture) ?? "–";
}
