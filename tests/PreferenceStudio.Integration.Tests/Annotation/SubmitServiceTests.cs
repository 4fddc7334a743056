using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Annotating;
using PreferenceStudio.Core;
using PreferenceStudio.Data;

namespace PreferenceStudio.Integration.Tests.Annotation;

public sealed class SubmitServiceTests : QueueFixture
{
    [Fact]
    public async Task SubmitAsync_SameIdempotencyKeyTwice_StoresOneLabelAndSaysSo()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        var request = Pairwise(ResponseIds[0], ResponseIds[1]);

        await using var db1 = Db();
        var first = await Submits(db1).SubmitAsync(lease.AssignmentId, Annotators[0], request);
        await using var db2 = Db();
        var retry = await Submits(db2).SubmitAsync(lease.AssignmentId, Annotators[0], request);

        first.Receipt!.AlreadyStored.ShouldBeFalse();
        retry.Kind.ShouldBe(OutcomeKind.Done);
        retry.Receipt!.AlreadyStored.ShouldBeTrue();
        retry.Receipt.AnnotationId.ShouldBe(first.Receipt.AnnotationId);
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(1);
        (await check.Tasks.SingleAsync()).CompletedAnnotations.ShouldBe(1);
    }

    [Fact]
    public async Task SubmitAsync_TenConcurrentCopiesOfOneSubmit_StoreOneLabel()
    {
        await SetUpAsync(overlap: 2, annotators: 1);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        var request = Pairwise(ResponseIds[0], ResponseIds[1]);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            await using var db = Db();
            return await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], request);
        })));

        outcomes.ShouldAllBe(o => o.Kind == OutcomeKind.Done);
        outcomes.Count(o => !o.Receipt!.AlreadyStored).ShouldBe(1);
        outcomes.Select(o => o.Receipt!.AnnotationId).Distinct().Count().ShouldBe(1);
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(1);
        (await check.Tasks.SingleAsync()).CompletedAnnotations.ShouldBe(1);
    }

    [Fact]
    public async Task SubmitAsync_LeaseExpiredAndSlotGivenToAnother_IsRefused()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        await ExpireAsync(lease.AssignmentId);
        await using (var reclaim = Db())
            (await Queue(reclaim).NextAsync(Project, Annotators[1]))!.TaskId.ShouldBe(lease.TaskId); // takes the reclaimed slot

        await using var db = Db();
        var late = await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], Pairwise(ResponseIds[0], ResponseIds[1]));

        late.Kind.ShouldBe(OutcomeKind.Conflict);
        late.Error!.ShouldContain("given to another annotator");
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task SubmitAsync_LeaseExpiredAndSlotStillFree_IsStoredAndMarkedLate()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        await AddTaskAsync(TaskKind.Pairwise, priority: 9);
        await ExpireAsync(lease.AssignmentId);
        await using (var reclaim = Db()) // reclaims the expired lease, but the other annotator gets the other task
            (await Queue(reclaim).NextAsync(Project, Annotators[1]))!.TaskId.ShouldNotBe(lease.TaskId);

        await using var db = Db();
        var late = await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], Pairwise(ResponseIds[0], ResponseIds[1]));

        late.Kind.ShouldBe(OutcomeKind.Done);
        late.Receipt!.Late.ShouldBeTrue();
        await using var check = Db();
        (await check.Assignments.SingleAsync(a => a.Id == lease.AssignmentId)).State.ShouldBe(AssignmentState.Submitted);
        (await check.Annotations.SingleAsync()).TaskId.ShouldBe(lease.TaskId);
    }

    [Fact]
    public async Task SubmitAsync_LeaseExpiredAndAnotherSlotOfTheTaskStillFree_IsStoredAndMarkedLate()
    {
        await SetUpAsync(overlap: 2, annotators: 2);
        await AddTaskAsync(TaskKind.Pairwise);
        var walkedAway = await LeaseAsync(Annotators[0]);
        await ExpireAsync(walkedAway.AssignmentId);
        var other = await LeaseAsync(Annotators[1]); // reclaims the expired lease; takes the never-expired slot

        await using var db = Db();
        var late = await Submits(db).SubmitAsync(walkedAway.AssignmentId, Annotators[0], Pairwise(ResponseIds[0], ResponseIds[1]));

        other.TaskId.ShouldBe(walkedAway.TaskId);
        other.Slot.ShouldNotBe(walkedAway.Slot);
        late.Kind.ShouldBe(OutcomeKind.Done, late.Error);
        late.Receipt!.Late.ShouldBeTrue();
    }

    [Fact]
    public async Task SubmitAsync_LeaseExpiredSlotTakenButAnotherFreedBySkip_IsStoredInTheFreeSlot()
    {
        await SetUpAsync(overlap: 2, annotators: 3);
        await AddTaskAsync(TaskKind.Pairwise);
        var walkedAway = await LeaseAsync(Annotators[0]);
        await ExpireAsync(walkedAway.AssignmentId);
        var skipper = await LeaseAsync(Annotators[1]);   // the never-expired slot
        var taker = await LeaseAsync(Annotators[2]);     // the expired slot, given away last
        taker.Slot.ShouldBe(walkedAway.Slot);
        await using (var db = Db())
            (await Queue(db).SkipAsync(skipper.AssignmentId, Annotators[1], "unsure")).ShouldBe(QueueOutcome.Done);

        await using (var db = Db())
        {
            var late = await Submits(db).SubmitAsync(walkedAway.AssignmentId, Annotators[0], Pairwise(ResponseIds[0], ResponseIds[1]));
            late.Kind.ShouldBe(OutcomeKind.Done, late.Error);
            late.Receipt!.Late.ShouldBeTrue();
        }
        await using (var db = Db())
            (await Submits(db).SubmitAsync(taker.AssignmentId, Annotators[2], Pairwise(ResponseIds[0], ResponseIds[1]))).Kind.ShouldBe(OutcomeKind.Done);

        await using var check = Db();
        (await check.Assignments.SingleAsync(a => a.Id == walkedAway.AssignmentId)).Slot.ShouldBe(skipper.Slot);
        (await check.Annotations.CountAsync()).ShouldBe(2);
        (await check.Tasks.SingleAsync()).State.ShouldBe(TaskState.Complete);
    }

    [Fact]
    public async Task SubmitAsync_LeaseExpiredAndTaskComplete_IsRefused()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        await AddTaskAsync(TaskKind.Pairwise);
        var first = await LeaseAsync(Annotators[0]);
        await ExpireAsync(first.AssignmentId);
        var second = await LeaseAsync(Annotators[1]);
        await using (var db = Db())
            (await Submits(db).SubmitAsync(second.AssignmentId, Annotators[1], Pairwise(ResponseIds[0], ResponseIds[1]))).Kind.ShouldBe(OutcomeKind.Done);

        await using var late = Db();
        var outcome = await Submits(late).SubmitAsync(first.AssignmentId, Annotators[0], Pairwise(ResponseIds[0], ResponseIds[1]));

        outcome.Kind.ShouldBe(OutcomeKind.Conflict);
        outcome.Error!.ShouldContain("no longer needs a label");
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task SubmitAsync_SomeoneElsesAssignment_IsNotFound()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);

        await using var db = Db();
        var outcome = await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[1], Pairwise(ResponseIds[0], ResponseIds[1]));

        outcome.Kind.ShouldBe(OutcomeKind.NotFound);
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task ReviseAsync_AfterSubmit_AddsVersionTwoAndKeepsVersionOneSuperseded()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        await using (var db = Db())
            await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], Pairwise(ResponseIds[0], ResponseIds[1], preference: -2));
        var edit = Pairwise(ResponseIds[0], ResponseIds[1], preference: 1);

        await using var db2 = Db();
        var revised = await Submits(db2).ReviseAsync(lease.TaskId, Annotators[0], edit);
        await using var db3 = Db();
        var retried = await Submits(db3).ReviseAsync(lease.TaskId, Annotators[0], edit);

        revised.Receipt!.Version.ShouldBe(2);
        retried.Receipt!.AlreadyStored.ShouldBeTrue();
        await using var check = Db();
        var versions = await check.PairwiseAnnotations.OrderBy(a => a.Version).ToListAsync();
        versions.Select(v => (v.Version, v.Preference, v.IsCurrent)).ShouldBe(
            [(1, PairwisePreference.AMuchBetter, false), (2, PairwisePreference.BBetter, true)]);
        versions[1].PreviousVersionId.ShouldBe(versions[0].Id);
        (await check.Tasks.SingleAsync()).CompletedAnnotations.ShouldBe(1);
    }

    [Fact]
    public async Task SubmitAsync_SpanAroundEmojiAndCombiningMark_StoresUtf16Offsets()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Span);
        var lease = await LeaseAsync(Annotators[0]);
        var labels = await LabelIdsAsync();
        var start = EmojiText.IndexOf("🍕", StringComparison.Ordinal);
        var cafe = EmojiText.IndexOf("cafe\u0301", StringComparison.Ordinal);
        var request = new SubmitRequest(Guid.NewGuid(), 5000, [ResponseIds[0]], null, Span: new SpanAnswer(
            [new SpanItem(ResponseIds[0], start, start + 2, labels[0], 2, "pizza <b>is</b> fine"),
             new SpanItem(ResponseIds[0], cafe, cafe + 5, labels[1], null, null)],
            [new FlagItem(ResponseIds[0], "incomplete")]));

        await using var db = Db();
        var outcome = await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], request);

        outcome.Kind.ShouldBe(OutcomeKind.Done, outcome.Error);
        await using var check = Db();
        var stored = await check.SpanAnnotations.SingleAsync();
        stored.Spans.OrderBy(s => s.Start).Select(s => EmojiText[s.Start..s.End]).ShouldBe(["🍕", "cafe\u0301"]);
        stored.Spans.Single(s => s.LabelId == labels[0]).Severity.ShouldBe(Severity.Major);
        stored.Flags.ShouldBe([new ResponseFlag(ResponseIds[0], "incomplete")]);
        stored.TimeSpentMs.ShouldBe(5000);
    }

    [Fact]
    public async Task SubmitAsync_NulInASpanComment_IsInvalidNamingTheFieldAndStoresNothing()
    {
        // The pages call the use case over the circuit, past the HTTP edge's checks: the use case holds the rule itself.
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Span);
        var lease = await LeaseAsync(Annotators[0]);
        var labels = await LabelIdsAsync();
        var request = new SubmitRequest(Guid.NewGuid(), 5000, [ResponseIds[0]], null, Span: new SpanAnswer(
            [new SpanItem(ResponseIds[0], 0, 2, labels[0], 1, "fine"), new SpanItem(ResponseIds[0], 3, 5, labels[0], 1, "bad\0")], []));

        await using var db = Db();
        var outcome = await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], request);

        outcome.Kind.ShouldBe(OutcomeKind.Invalid);
        outcome.Error.ShouldBe($"span.spans[1].comment: {StorableText.Nul}");
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task SkipAsync_ReasonWithHalfASurrogatePair_IsInvalidAndTheLeaseIsKept()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);

        await using var db = Db();
        var outcome = await Queue(db).SkipAsync(lease.AssignmentId, Annotators[0], "cannot judge \ud83d");

        outcome.Kind.ShouldBe(OutcomeKind.Invalid);
        outcome.Message.ShouldBe($"reason: {StorableText.LoneSurrogate}");
        await using var check = Db();
        (await check.Assignments.SingleAsync()).State.ShouldBe(AssignmentState.Active);
    }

    [Fact]
    public async Task SaveChanges_NulInAProjectsGuidelines_ThrowsNamingThePropertyAndStoresNothing()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await using var db = Db();
        var project = await db.Projects.SingleAsync();
        project.WriteGuidelines("Be kind.\0");

        var error = await Should.ThrowAsync<UnstorableTextException>(() => db.SaveChangesAsync());

        error.Message.ShouldBe($"Project.GuidelinesMarkdown {StorableText.Nul} Nothing was saved.");
        await using var check = Db();
        (await check.Projects.SingleAsync()).GuidelinesMarkdown.ShouldNotContain("\0");
    }

    private async Task<List<int>> LabelIdsAsync()
    {
        await using var db = Db();
        return await db.SpanLabels.Where(l => l.ProjectId == Project.Id).OrderBy(l => l.Order).Select(l => l.Id).ToListAsync();
    }
}
