using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Testing.Http;

/// <summary>
/// A drill judged from the database. <see cref="Lost"/>: acknowledged labels missing, or stored under another id than
/// the receipt said. <see cref="Duplicates"/>: rows beyond the first for one idempotency key, or for one annotator on
/// one task. <see cref="InDoubt"/>: labels whose first send got no answer; the retry found them stored
/// (<see cref="InDoubtFoundStored"/>, the kill came after the commit) or stored them then.
/// </summary>
public sealed record FireDrillAudit(
    int Expected, int Sent, int Acknowledged, int Stored, int Duplicates, int Lost, int StoredUnacknowledged, int Refused,
    int SlotsGivenTwice, int OverfullTasks, int InDoubt, int InDoubtFoundStored, int UnansweredNext, int ServerErrors)
{
    public static async Task<FireDrillAudit> OfAsync(TestDatabase database, FireDrillRun run)
    {
        var submits = run.Submits.ToList();
        var acked = submits.Where(s => s.Acknowledged).ToList();
        await using var db = database.CreateContext();
        var stored = await db.Annotations.AsNoTracking()
            .Select(a => new { a.Id, a.AnnotatorId, a.IdempotencyKey, a.TaskId, a.SupersededAt }).ToListAsync();
        var byKey = stored.GroupBy(a => a.IdempotencyKey).ToDictionary(g => g.Key, g => g.ToList());
        var duplicates = byKey.Values.Sum(g => g.Count - 1)
                         + stored.Where(a => a.SupersededAt == null).GroupBy(a => (a.TaskId, a.AnnotatorId)).Sum(g => g.Count() - 1);
        var lost = acked.Count(s => !byKey.TryGetValue(s.Key, out var rows) || rows.All(r => r.Id != s.AnnotationId));
        var ackedKeys = acked.Select(s => s.Key).ToHashSet();
        var live = new[] { AssignmentState.Active, AssignmentState.Submitted };
        var slotsTwice = await db.Assignments.AsNoTracking().Where(a => live.Contains(a.State))
            .GroupBy(a => new { a.TaskId, a.Slot }).CountAsync(g => g.Count() > 1);
        var overfull = await db.Tasks.AsNoTracking()
            .CountAsync(t => db.Annotations.Count(a => a.TaskId == t.Id && a.SupersededAt == null) > t.RequiredAnnotations);
        var inDoubt = submits.Where(s => s.Unanswered > 0).ToList();
        return new FireDrillAudit(
            Expected: run.Plan.ExpectedLabels,
            Sent: submits.Count,
            Acknowledged: acked.Count,
            Stored: stored.Count,
            Duplicates: duplicates,
            Lost: lost,
            StoredUnacknowledged: stored.Count(a => !ackedKeys.Contains(a.IdempotencyKey)),
            Refused: submits.Count - acked.Count,
            SlotsGivenTwice: slotsTwice,
            OverfullTasks: overfull,
            InDoubt: inDoubt.Count,
            InDoubtFoundStored: inDoubt.Count(s => s.AlreadyStored),
            UnansweredNext: run.Annotators.Sum(a => a.UnansweredNext),
            ServerErrors: run.Annotators.Sum(a => a.ServerErrors));
    }

    /// <summary>What is wrong, one line each; empty when nothing was lost, doubled or left undone.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Lost > 0) problems.Add($"{Lost} acknowledged label(s) not stored (or stored under another id than the receipt's)");
        if (Duplicates > 0) problems.Add($"{Duplicates} label(s) stored twice");
        if (SlotsGivenTwice > 0) problems.Add($"{SlotsGivenTwice} slot(s) held by two live assignments");
        if (OverfullTasks > 0) problems.Add($"{OverfullTasks} task(s) with more labels than their overlap");
        if (StoredUnacknowledged > 0) problems.Add($"{StoredUnacknowledged} label(s) stored that no client had acknowledged (every send was retried to an answer)");
        if (Refused > 0) problems.Add($"{Refused} submit(s) refused with a 4xx");
        if (Acknowledged != Stored) problems.Add($"{Acknowledged} acknowledged but {Stored} stored");
        if (Stored != Expected) problems.Add($"{Stored} labels stored, the project takes {Expected}");
        return problems;
    }

    public override string ToString() =>
        $"expected {Expected}, sent {Sent}, acknowledged {Acknowledged}, stored {Stored}, duplicates {Duplicates}, lost {Lost}, " +
        $"stored unacknowledged {StoredUnacknowledged}, refused {Refused}, slots given twice {SlotsGivenTwice}, overfull tasks {OverfullTasks}, " +
        $"in doubt {InDoubt} (found stored by the retry {InDoubtFoundStored}, stored by the retry {InDoubt - InDoubtFoundStored}), " +
        $"unanswered next-task calls {UnansweredNext}, 5xx answers {ServerErrors}";
}
