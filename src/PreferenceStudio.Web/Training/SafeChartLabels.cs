using System.Text.RegularExpressions;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// Axis labels for MudChart, which writes its labels into the SVG as markup, not as encoded text: a name from the
/// project (a span label's or a principle's key) goes there only when it is a plain key of letters, digits, dashes
/// and underscores (what the projects' keys are), and as its row number ("#2") otherwise; the table beside the chart
/// shows every name, encoded.
/// </summary>
public static partial class SafeChartLabels
{
    public static string[] Of(IEnumerable<string> names) =>
        names.Select((name, i) => PlainKey().IsMatch(name) ? name : $"#{i + 1}").ToArray();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex PlainKey();
}
