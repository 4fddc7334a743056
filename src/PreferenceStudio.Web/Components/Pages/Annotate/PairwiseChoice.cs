using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// The pairwise answer in progress: a point of the five-point scale (-2 A much better .. 2 B much better, A being the
/// response shown on the left) and "both bad". Keys 1-5 pick a point, ← → step along the scale, x toggles both bad.
/// </summary>
public sealed class PairwiseChoice
{
    public static readonly IReadOnlyList<(int Value, string Label, string Key)> Scale =
    [
        (-2, "A much better", "1"), (-1, "A better", "2"), (0, "Tie", "3"), (1, "B better", "4"), (2, "B much better", "5"),
    ];

    public int? Preference { get; set; }
    public bool BothBad { get; set; }

    /// <summary>A stored label's preference is relative to the A it was stored with; turned to this page's A.</summary>
    public static PairwiseChoice From(PairwiseAnnotation? stored, int shownAId) => stored is null
        ? new PairwiseChoice()
        : new PairwiseChoice
        {
            Preference = stored.ResponseAId == shownAId ? (int)stored.Preference : -(int)stored.Preference,
            BothBad = stored.BothBad,
        };

    public bool HandleKey(string key)
    {
        switch (key)
        {
            case "1" or "2" or "3" or "4" or "5":
                Preference = key[0] - '3';
                return true;
            case "ArrowLeft":
                Preference = Math.Max(-2, (Preference ?? 0) - 1);
                return true;
            case "ArrowRight":
                Preference = Math.Min(2, (Preference ?? 0) + 1);
                return true;
            case "x":
                BothBad = !BothBad;
                return true;
            default:
                return false;
        }
    }

    public (PairwiseAnswer? Answer, string? Error) ToAnswer(IReadOnlyList<ShownResponse> shown) =>
        Preference is { } preference
            ? (new PairwiseAnswer(shown[0].Id, shown[1].Id, preference, BothBad), null)
            : (null, "Choose which response is better first (keys 1-5, or click the scale).");
}
