using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>The edge cases of the one-statement lease (lock and look in one batch, then insert the slot with RETURNING).</summary>
public sealed class LeaseStatementTests : QueueFixture
{
    [Fact]
    public async Task NextAsync_EightAnnotatorsRaceForTheLastSlot_ExactlyOneGetsIt()
    {
        await SetUpAsync(overlap: 2, annotators: 9);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        var first = await LeaseAsync(Annotators[0]);

        using var start = new ManualResetEventSlim();
        var requests = Annotators.Skip(1).Select(annotator => Task.Run(async () =>
        {
            start.Wait();
            await using var db = Db();
            return await Queue(db).NextAsync(Project, annotator);
        })).ToList();
        start.Set();
        var leases = await Task.WhenAll(requests);

        var winner = leases.Where(l => l is not null).ShouldHaveSingleItem()!;
        winner.TaskId.ShouldBe(task.Id);
        winner.Slot.ShouldBe(first.Slot == 1 ? 2 : 1);
        await using var check = Db();
        (await check.Assignments.CountAsync(a => a.TaskId == task.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task NextAsync_SlotWhoseLeaseRanOut_IsGivenAfterTheNeverLeasedOnes()
    {
        await SetUpAsync(overlap: 3, annotators: 3);
        await AddTaskAsync(TaskKind.Pairwise);
        var walkedAway = await LeaseAsync(Annotators[0]);
        walkedAway.Slot.ShouldBe(1);
        await ExpireAsync(walkedAway.AssignmentId);

        var second = await LeaseAsync(Annotators[1]);
        var third = await LeaseAsync(Annotators[2]);

        second.Slot.ShouldBe(2);
        third.Slot.ShouldBe(3);
    }

    [Fact]
    public async Task NextAsync_CurrentLease_IsReturnedWithItsKindAndLeavesOtherTasksUnlocked()
    {
        await SetUpAsync(overlap: 1, annotators: 2);
        var ranking = await AddTaskAsync(TaskKind.Ranking, priority: 5);
        var other = await AddTaskAsync(TaskKind.Pairwise);
        var lease = await LeaseAsync(Annotators[0]);

        var again = await LeaseAsync(Annotators[0]);
        var next = await LeaseAsync(Annotators[1]);

        again.ShouldBe(lease with { IsNew = false });
        again.Kind.ShouldBe(TaskKind.Ranking);
        again.TaskId.ShouldBe(ranking.Id);
        next.TaskId.ShouldBe(other.Id);
    }
}
