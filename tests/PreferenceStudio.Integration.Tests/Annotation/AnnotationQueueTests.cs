using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Integration.Tests.Annotation;

public sealed class AnnotationQueueTests : QueueFixture
{
    [Fact]
    public async Task NextAsync_TwentyConcurrentAnnotatorsForFiveSlots_EachSlotHandedOutOnce()
    {
        await SetUpAsync(overlap: 1, annotators: 20);
        for (var i = 0; i < 5; i++)
            await AddTaskAsync(TaskKind.Pairwise);

        using var start = new ManualResetEventSlim();
        var requests = Annotators.Select(annotator => Task.Run(async () =>
        {
            start.Wait();
            await using var db = Db();
            return await Queue(db).NextAsync(Project, annotator);
        })).ToList();
        start.Set();
        var leases = await Task.WhenAll(requests);

        var given = leases.Where(l => l is not null).Select(l => l!).ToList();
        given.Count.ShouldBe(5);
        given.Select(l => l.TaskId).Distinct().Count().ShouldBe(5);
        await using var check = Db();
        (await check.Assignments.CountAsync()).ShouldBe(5);
    }

    [Fact]
    public async Task NextAsync_ConcurrentWithOverlapTwo_EveryTaskGetsTwoDistinctAnnotators()
    {
        await SetUpAsync(overlap: 2, annotators: 12);
        for (var i = 0; i < 3; i++)
            await AddTaskAsync(TaskKind.Pairwise);

        var leases = await Task.WhenAll(Annotators.Select(annotator => Task.Run(async () =>
        {
            await using var db = Db();
            return await Queue(db).NextAsync(Project, annotator);
        })));

        leases.Count(l => l is not null).ShouldBe(6);
        await using var check = Db();
        var rows = await check.Assignments.ToListAsync();
        rows.Count.ShouldBe(6);
        foreach (var perTask in rows.GroupBy(a => a.TaskId))
        {
            perTask.Select(a => a.Slot).Order().ShouldBe([1, 2]);
            perTask.Select(a => a.AnnotatorId).Distinct().Count().ShouldBe(2);
        }
    }

    [Fact]
    public async Task NextAndSubmit_EightAnnotatorsWorkingConcurrentlyUntilDone_EveryTaskGetsExactlyOverlapDistinctLabels()
    {
        await SetUpAsync(overlap: 3, annotators: 8);
        for (var i = 0; i < 6; i++)
            await AddTaskAsync(TaskKind.Pairwise, priority: i % 3);

        var perAnnotator = await Task.WhenAll(Annotators.Select(annotator => Task.Run(async () =>
        {
            var labelled = 0;
            while (true)
            {
                await using var db = Db();
                var lease = await Queue(db).NextAsync(Project, annotator);
                if (lease is null)
                    return labelled;
                var outcome = await Submits(db).SubmitAsync(lease.AssignmentId, annotator, Pairwise(ResponseIds[0], ResponseIds[1]));
                outcome.Kind.ShouldBe(OutcomeKind.Done, outcome.Error);
                labelled++;
            }
        })));

        perAnnotator.Sum().ShouldBe(18);
        await using var check = Db();
        var tasks = await check.Tasks.ToListAsync();
        tasks.ShouldAllBe(t => t.State == TaskState.Complete && t.CompletedAnnotations == 3);
        var labels = await check.Annotations.ToListAsync();
        labels.Count.ShouldBe(18);
        labels.GroupBy(l => l.TaskId).ShouldAllBe(g => g.Select(l => l.AnnotatorId).Distinct().Count() == 3);
    }

    [Fact]
    public async Task NextAsync_AnnotatorAlreadyHoldsALease_ReturnsTheSameLease()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Pairwise);
        await AddTaskAsync(TaskKind.Pairwise);

        var first = await LeaseAsync(Annotators[0]);
        var again = await LeaseAsync(Annotators[0]);

        first.IsNew.ShouldBeTrue();
        again.IsNew.ShouldBeFalse();
        again.AssignmentId.ShouldBe(first.AssignmentId);
    }

    [Fact]
    public async Task NextAsync_AfterSkip_NeverOffersTheSameTaskToTheSameAnnotator()
    {
        await SetUpAsync(overlap: 2, annotators: 1);
        var task = await AddTaskAsync(TaskKind.Pairwise);

        var lease = await LeaseAsync(Annotators[0]);
        await using (var db = Db())
            (await Queue(db).SkipAsync(lease.AssignmentId, Annotators[0], "Cannot judge cooking")).Kind.ShouldBe(OutcomeKind.Done);

        await using var again = Db();
        (await Queue(again).NextAsync(Project, Annotators[0])).ShouldBeNull();
        var skipped = await again.Assignments.SingleAsync(a => a.TaskId == task.Id);
        skipped.State.ShouldBe(AssignmentState.Skipped);
        skipped.SkipReason.ShouldBe("Cannot judge cooking");
    }

    [Fact]
    public async Task NextAsync_SkippedSlot_GoesToAnotherAnnotator()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        await using (var db = Db())
            await Queue(db).SkipAsync(lease.AssignmentId, Annotators[0], null);

        var second = await LeaseAsync(Annotators[1]);

        second.TaskId.ShouldBe(task.Id);
        second.Slot.ShouldBe(1);
    }

    [Fact]
    public async Task NextAsync_HigherPriority_IsHandedOutFirst()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        var low = await AddTaskAsync(TaskKind.Pairwise, priority: 0);
        var high = await AddTaskAsync(TaskKind.Ranking, priority: 5);

        (await LeaseAsync(Annotators[0])).TaskId.ShouldBe(high.Id);
        (await LeaseAsync(Annotators[1])).TaskId.ShouldBe(low.Id);
    }

    [Fact]
    public async Task NextAsync_ExpiredLease_IsReclaimedForAnotherAnnotator()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        var walkedAway = await LeaseAsync(Annotators[0]);
        await using (var db = Db())
            (await Queue(db).NextAsync(Project, Annotators[1])).ShouldBeNull();

        await ExpireAsync(walkedAway.AssignmentId);
        var reclaimed = await LeaseAsync(Annotators[1]);

        reclaimed.TaskId.ShouldBe(task.Id);
        await using var check = Db();
        (await check.Assignments.SingleAsync(a => a.Id == walkedAway.AssignmentId)).State.ShouldBe(AssignmentState.Expired);
    }

    [Fact]
    public async Task RenewAsync_ActiveLease_ExtendsItSoItIsNotReclaimed()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        await AddTaskAsync(TaskKind.Pairwise);
        var working = await LeaseAsync(Annotators[0]);
        await ExpireAsync(working.AssignmentId); // as if the lease were about to run out...

        await using (var db = Db())
            (await Queue(db).RenewAsync(working.AssignmentId, Annotators[0])).Kind.ShouldBe(OutcomeKind.Done); // ...and the page renewed it

        await using var other = Db();
        (await Queue(other).NextAsync(Project, Annotators[1])).ShouldBeNull();
        (await other.Assignments.SingleAsync()).ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(29));
    }

    [Fact]
    public async Task RenewAsync_LeaseAlreadyReclaimed_IsRefused()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        await AddTaskAsync(TaskKind.Pairwise);
        var walkedAway = await LeaseAsync(Annotators[0]);
        await ExpireAsync(walkedAway.AssignmentId);
        await LeaseAsync(Annotators[1]);

        await using var db = Db();
        var outcome = await Queue(db).RenewAsync(walkedAway.AssignmentId, Annotators[0]);

        outcome.Kind.ShouldBe(OutcomeKind.Conflict);
        outcome.Message!.ShouldContain("expired");
    }

    [Fact]
    public async Task NextAsync_GoldRateOne_HandsOutGoldFirstThenTheRest()
    {
        await SetUpAsync(overlap: 1, annotators: 2, goldRate: 1);
        var normal = await AddTaskAsync(TaskKind.Pairwise, priority: 9);
        var gold = await AddTaskAsync(TaskKind.Pairwise, priority: 0, gold: true);

        (await LeaseAsync(Annotators[0])).TaskId.ShouldBe(gold.Id);
        (await LeaseAsync(Annotators[1])).TaskId.ShouldBe(normal.Id);
    }

    [Fact]
    public async Task NextAsync_GoldRateZero_HandsOutGoldOnlyWhenNothingElseIsLeft()
    {
        await SetUpAsync(overlap: 1, annotators: 2, goldRate: 0);
        var gold = await AddTaskAsync(TaskKind.Pairwise, priority: 9, gold: true);
        var normal = await AddTaskAsync(TaskKind.Pairwise, priority: 0);

        (await LeaseAsync(Annotators[0])).TaskId.ShouldBe(normal.Id);
        (await LeaseAsync(Annotators[1])).TaskId.ShouldBe(gold.Id);
    }

    [Fact]
    public async Task ProgressAsync_AfterOneSubmit_CountsDoneTodayAndLeft()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(TaskKind.Pairwise);
        await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);
        await using (var db = Db())
            (await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], Pairwise(ResponseIds[0], ResponseIds[1]))).Kind.ShouldBe(OutcomeKind.Done);

        await using var check = Db();
        (await Queue(check).ProgressAsync(Project.Id, Annotators[0])).ShouldBe(new PreferenceStudio.Annotating.Progress(1, 1));
    }
}
