using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// The ranking in progress, best first. ↑ ↓ select, Shift+↑ ↓ move the selected response one place, a digit moves
/// it straight to that place, t ties it with the one above (where the project allows ties). Tied responses share a
/// rank, and the next rank skips: 1, 1, 3.
/// </summary>
public sealed class RankingBoard
{
    /// <summary>Response ids, best first.</summary>
    public List<int> Order { get; set; } = [];

    /// <summary>Responses tied with the one just above them.</summary>
    public List<int> TiedWithAbove { get; set; } = [];

    public int Selected { get; set; }

    public static RankingBoard From(RankingAnnotation? stored, IReadOnlyList<ShownResponse> shown)
    {
        if (stored is null)
            return new RankingBoard { Order = shown.Select(r => r.Id).ToList() };
        var ranks = stored.Entries.ToDictionary(e => e.ResponseId, e => e.Rank);
        var order = shown.Select(r => r.Id).OrderBy(id => ranks.GetValueOrDefault(id, int.MaxValue)).ToList();
        var tied = order.Skip(1).Where((id, i) => ranks.GetValueOrDefault(id) == ranks.GetValueOrDefault(order[i])).ToList();
        return new RankingBoard { Order = order, TiedWithAbove = tied };
    }

    public bool IsTied(int responseId) => TiedWithAbove.Contains(responseId) && Order.IndexOf(responseId) > 0;

    public void Select(int index) => Selected = Math.Clamp(index, 0, Order.Count - 1);

    /// <summary>Moves the response at <paramref name="from"/> to <paramref name="to"/>; the others keep their order.</summary>
    public void Move(int from, int to)
    {
        if (from < 0 || from >= Order.Count)
            return;
        to = Math.Clamp(to, 0, Order.Count - 1);
        var id = Order[from];
        Order.RemoveAt(from);
        Order.Insert(to, id);
        Selected = to;
    }

    /// <summary>Where a dragged response landed (from the drop zone's index).</summary>
    public void Drop(int responseId, int index) => Move(Order.IndexOf(responseId), index);

    public void ToggleTie(bool allowTies)
    {
        if (!allowTies || Selected == 0)
            return;
        var id = Order[Selected];
        if (!TiedWithAbove.Remove(id))
            TiedWithAbove.Add(id);
    }

    public bool HandleKey(string key, bool shift, bool allowTies)
    {
        switch (key)
        {
            case "ArrowUp" or "ArrowDown":
                var delta = key == "ArrowUp" ? -1 : 1;
                if (shift)
                    Move(Selected, Selected + delta);
                else
                    Select(Selected + delta);
                return true;
            case [var digit] when digit is >= '1' and <= '9':
                if (digit - '1' >= Order.Count)
                    return false;
                Move(Selected, digit - '1');
                return true;
            case "t":
                ToggleTie(allowTies);
                return allowTies;
            default:
                return false;
        }
    }

    /// <summary>Each response's rank: its place, or the rank of the one above when tied with it.</summary>
    public IReadOnlyList<RankItem> Ranks(bool allowTies)
    {
        var result = new List<RankItem>(Order.Count);
        var rank = 0;
        for (var i = 0; i < Order.Count; i++)
        {
            if (!(allowTies && i > 0 && TiedWithAbove.Contains(Order[i])))
                rank = i + 1;
            result.Add(new RankItem(Order[i], rank));
        }
        return result;
    }
}
