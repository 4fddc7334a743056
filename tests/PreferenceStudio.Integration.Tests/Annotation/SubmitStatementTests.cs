using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>
/// The two-statement submit on a live lease (a lookup, then one guarded statement): it stores every field of every
/// kind as the entities map them, counts the label on its task, and writes nothing when the lease changed under it.
/// </summary>
public sealed class SubmitStatementTests : QueueFixture
{
    [Fact]
    public async Task SubmitAsync_PairwiseOnALiveLease_StoresTheAnswerClosesTheLeaseAndCompletesTheTask()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        var (a, b) = (ResponseIds[1], ResponseIds[0]);
        var request = new SubmitRequest(Guid.NewGuid(), 4321, [a, b], "B rambles.", Pairwise: new PairwiseAnswer(a, b, 2, BothBad: true));

        var outcome = await SubmitAsync(lease, request);

        await using var check = Db();
        var stored = await check.PairwiseAnnotations.SingleAsync();
        stored.Id.ShouldBe(outcome.Receipt!.AnnotationId);
        (stored.TaskId, stored.AnnotatorId, stored.AssignmentId, stored.IdempotencyKey).ShouldBe((task.Id, Annotators[0], lease.AssignmentId, request.IdempotencyKey));
        (stored.ResponseAId, stored.ResponseBId, stored.Preference, stored.BothBad).ShouldBe((a, b, PairwisePreference.BMuchBetter, true));
        (stored.Version, stored.PreviousVersionId, stored.SupersededAt).ShouldBe((1, null, null));
        (stored.TimeSpentMs, stored.Rationale).ShouldBe((4321, "B rambles."));
        stored.ShownOrder.ShouldBe([a, b]);
        var assignment = await check.Assignments.SingleAsync();
        (assignment.State, assignment.ClosedAt).ShouldBe((AssignmentState.Submitted, stored.CreatedAt));
        var counted = await check.Tasks.SingleAsync();
        (counted.CompletedAnnotations, counted.State).ShouldBe((1, TaskState.Complete));
    }

    [Fact]
    public async Task SubmitAsync_RankingWithTiesOnALiveLease_StoresEveryEntryAndLeavesTheTaskOpenForItsSecondLabel()
    {
        await SetUpAsync(overlap: 2, annotators: 1, ties: true);
        await AddTaskAsync(TaskKind.Ranking);
        var lease = await LeaseAsync(Annotators[0]);
        var ids = ResponseIds[..3];
        var request = new SubmitRequest(Guid.NewGuid(), 900, [ids[2], ids[0], ids[1]], null,
            Ranking: new RankingAnswer([new RankItem(ids[0], 2), new RankItem(ids[1], 1), new RankItem(ids[2], 2)]));

        await SubmitAsync(lease, request);

        await using var check = Db();
        var stored = await check.RankingAnnotations.SingleAsync();
        stored.Entries.OrderBy(e => e.ResponseId).ShouldBe([new RankingEntry(ids[0], 2), new RankingEntry(ids[1], 1), new RankingEntry(ids[2], 2)]);
        stored.Rationale.ShouldBeNull();
        stored.ShownOrder.ShouldBe([ids[2], ids[0], ids[1]]);
        var counted = await check.Tasks.SingleAsync();
        (counted.CompletedAnnotations, counted.State).ShouldBe((1, TaskState.Open));
    }

    [Fact]
    public async Task SubmitAsync_PrincipleOnALiveLease_StoresEveryVerdictWithItsEvidenceOrNone()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Principle);
        var lease = await LeaseAsync(Annotators[0]);
        await using (var db = Db())
        {
            var principles = await db.Principles.Where(p => p.ProjectId == Project.Id).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
            var (a, b) = (ResponseIds[0], ResponseIds[1]);
            var request = new SubmitRequest(Guid.NewGuid(), 700, [a, b], null, Principle: new PrincipleAnswer(
            [
                new VerdictItem(a, principles[0], 1, "<script>x</script> is quoted"), new VerdictItem(a, principles[1], 0, null),
                new VerdictItem(b, principles[0], 2, "  "), new VerdictItem(b, principles[1], 1, null),
            ]));

            await SubmitAsync(lease, request);

            await using var check = Db();
            var stored = await check.PrincipleAnnotations.SingleAsync();
            stored.Verdicts.OrderBy(v => v.ResponseId).ThenBy(v => v.PrincipleId).ShouldBe(
            [
                new PrincipleVerdict(a, principles[0], Verdict.Yes, "<script>x</script> is quoted"), new PrincipleVerdict(a, principles[1], Verdict.No, null),
                new PrincipleVerdict(b, principles[0], Verdict.NotApplicable, null), new PrincipleVerdict(b, principles[1], Verdict.Yes, null),
            ]);
        }
    }

    [Fact]
    public async Task StoreAsync_LeaseRanOutAfterTheLookup_WritesNothing()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        await using var db = Db();
        var (connection, label) = await LookedUpAsync(db, lease);
        await ExpireAsync(lease.AssignmentId);

        var id = await SubmitStatements.StoreAsync(connection, lease.AssignmentId, label, default);

        id.ShouldBeNull();
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(0);
        (await check.Assignments.SingleAsync()).State.ShouldBe(AssignmentState.Active);
        (await check.Tasks.SingleAsync()).CompletedAnnotations.ShouldBe(0);
    }

    [Fact]
    public async Task StoreAsync_TaskRetiredAfterTheLookup_WritesNothing()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        await using var db = Db();
        var (connection, label) = await LookedUpAsync(db, lease);
        await using (var admin = Db())
            await admin.Database.ExecuteSqlAsync($"UPDATE annotation_tasks SET state = {(int)TaskState.Retired} WHERE id = {task.Id}");

        (await SubmitStatements.StoreAsync(connection, lease.AssignmentId, label, default)).ShouldBeNull();

        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(0);
        (await check.Assignments.SingleAsync()).State.ShouldBe(AssignmentState.Active);
    }

    /// <summary>The first statement of a submit and the label it validates to, on an open connection of <paramref name="db"/>.</summary>
    private async Task<(Npgsql.NpgsqlConnection Connection, Core.Annotations.Annotation Label)> LookedUpAsync(PreferenceStudio.Data.PreferenceStudioDbContext db, Lease lease)
    {
        var request = Pairwise(ResponseIds[0], ResponseIds[1]);
        await db.Database.OpenConnectionAsync();
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        var found = await SubmitStatements.LookupAsync(connection, lease.AssignmentId, Annotators[0], request.IdempotencyKey, default);
        var (label, error) = AnswerValidator.Build(found.Facts!, request, Annotators[0], lease.AssignmentId, DateTimeOffset.UtcNow);
        error.ShouldBeNull();
        return (connection, label!);
    }

    private async Task<SubmitOutcome> SubmitAsync(Lease lease, SubmitRequest request)
    {
        await using var db = Db();
        var outcome = await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], request);
        outcome.Kind.ShouldBe(OutcomeKind.Done, outcome.Error);
        outcome.Receipt!.AlreadyStored.ShouldBeFalse();
        return outcome;
    }
}
