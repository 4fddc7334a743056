using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// Principle verdicts in progress: one row per (response, principle) in display order. ↑ ↓ (or k j) move between
/// rows; y, n and a answer yes, no or not applicable and move on to the next row.
/// </summary>
public sealed class PrincipleGrid
{
    public List<VerdictCell> Rows { get; set; } = [];
    public int Cursor { get; set; }

    public static PrincipleGrid From(PrincipleAnnotation? stored, IReadOnlyList<ShownResponse> shown, IReadOnlyList<int> principleIds) => new()
    {
        Rows = shown.SelectMany(r => principleIds.Select(p =>
        {
            var v = stored?.Verdicts.FirstOrDefault(x => x.ResponseId == r.Id && x.PrincipleId == p);
            return new VerdictCell { ResponseId = r.Id, PrincipleId = p, Verdict = (int?)v?.Verdict, Evidence = v?.Evidence };
        })).ToList(),
    };

    public VerdictCell? Row(int responseId, int principleId) =>
        Rows.FirstOrDefault(c => c.ResponseId == responseId && c.PrincipleId == principleId);

    public void MoveTo(int index) => Cursor = Math.Clamp(index, 0, Math.Max(0, Rows.Count - 1));

    public bool HandleKey(string key)
    {
        switch (key)
        {
            case "ArrowDown" or "j":
                MoveTo(Cursor + 1);
                return true;
            case "ArrowUp" or "k":
                MoveTo(Cursor - 1);
                return true;
            case "y" or "n" or "a" when Rows.Count > 0:
                Rows[Cursor].Verdict = (int)(key switch { "y" => Verdict.Yes, "n" => Verdict.No, _ => Verdict.NotApplicable });
                MoveTo(Cursor + 1);
                return true;
            default:
                return false;
        }
    }

    public (PrincipleAnswer? Answer, string? Error) ToAnswer()
    {
        var open = Rows.FindIndex(c => c.Verdict is null);
        if (open >= 0)
        {
            Cursor = open;
            return (null, $"Answer every principle for every response: row {open + 1} of {Rows.Count} is still open.");
        }
        return (new PrincipleAnswer(Rows.Select(c => new VerdictItem(c.ResponseId, c.PrincipleId, c.Verdict!.Value,
            string.IsNullOrWhiteSpace(c.Evidence) ? null : c.Evidence.Trim())).ToList()), null);
    }
}

/// <summary>One row of the grid: 0 no, 1 yes, 2 not applicable, null not answered yet.</summary>
public sealed class VerdictCell
{
    public int ResponseId { get; set; }
    public int PrincipleId { get; set; }
    public int? Verdict { get; set; }
    public string? Evidence { get; set; }
}
