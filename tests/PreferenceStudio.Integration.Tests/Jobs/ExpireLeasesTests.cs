using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Jobs;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Jobs;

public class ExpireLeasesTests : IAsyncLifetime
{
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<long> SeedLeaseAsync(DateTimeOffset leasedAt)
    {
        await using var db = _database.CreateContext();
        var (_, _, task) = await Seed.PairwiseTaskAsync(db);
        var user = await Seed.UserAsync(db, "ann@x");
        var lease = new Assignment(task.Id, user.Id, slot: 1, leasedAt, TimeSpan.FromMinutes(30));
        db.Assignments.Add(lease);
        await db.SaveChangesAsync();
        return lease.Id;
    }

    [Fact]
    public async Task ExpireOverdue_OnlyRunOutLeases_AreExpired()
    {
        var now = DateTimeOffset.UtcNow;
        var overdue = await SeedLeaseAsync(now.AddHours(-2));
        await using var db = _database.CreateContext();

        (await ExpireLeasesJob.ExpireOverdueAsync(db, now, default)).ShouldBe(1);

        var lease = await db.Assignments.AsNoTracking().SingleAsync(a => a.Id == overdue);
        lease.State.ShouldBe(AssignmentState.Expired);
        lease.ClosedAt.ShouldNotBeNull();
        (await ExpireLeasesJob.ExpireOverdueAsync(db, now, default)).ShouldBe(0);
    }

    [Fact]
    public async Task ExpireOverdue_SubmitCommitsWhileItWaitsOnTheRow_LeavesTheSubmitStanding()
    {
        var now = DateTimeOffset.UtcNow;
        var leaseId = await SeedLeaseAsync(now.AddHours(-2));

        // The annotator's late submit holds the row, uncommitted, when the reclaim arrives.
        await using var submitter = _database.CreateContext();
        await using var transaction = await submitter.Database.BeginTransactionAsync();
        (await submitter.Assignments.SingleAsync(a => a.Id == leaseId)).Submit(now);
        await submitter.SaveChangesAsync();

        await using var reclaimer = _database.CreateContext();
        var reclaim = ExpireLeasesJob.ExpireOverdueAsync(reclaimer, now, default);
        await WaitUntilABackendWaitsOnALockAsync();
        await transaction.CommitAsync();

        (await reclaim).ShouldBe(0);
        await using var db = _database.CreateContext();
        (await db.Assignments.AsNoTracking().SingleAsync(a => a.Id == leaseId)).State.ShouldBe(AssignmentState.Submitted);
    }

    private async Task WaitUntilABackendWaitsOnALockAsync()
    {
        await using var db = _database.CreateContext();
        for (var i = 0; i < 200; i++)
        {
            var waiting = await db.Database
                .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .SingleAsync();
            if (waiting > 0)
                return;
            await Task.Delay(25);
        }
        throw new TimeoutException("The reclaim never waited on the submitter's row lock.");
    }
}
