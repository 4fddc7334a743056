using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs;

/// <summary>Returns slots held by annotators who walked away to the pool once their lease has run out (recurring, every minute).</summary>
public sealed class ExpireLeasesJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<ExpireLeasesJob> logger)
    : JobBase(db, clock, logger)
{
    public const string RecurringId = "expire-leases";

    // Two sweeps at once would only race to the same rows; the second waits, then finds nothing.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task<string?> RunAsync(PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(RecurringId, context, async () =>
            $"expired {await ExpireOverdueAsync(Db, Clock.GetUtcNow(), cancellationToken)} lease(s)");

    /// <summary>
    /// One guarded UPDATE rather than load-then-save: a submit or renewal that commits while this runs is re-checked
    /// by PostgreSQL against the WHERE clause and left alone, instead of being overwritten with a stale Expired.
    /// </summary>
    public static Task<int> ExpireOverdueAsync(PreferenceStudioDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Assignments
            .Where(a => a.State == AssignmentState.Active && a.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(a => a.State, AssignmentState.Expired)
                .SetProperty(a => a.ClosedAt, now), cancellationToken);
}
