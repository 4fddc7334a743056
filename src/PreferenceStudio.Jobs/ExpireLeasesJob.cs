using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Jobs;

/// <summary>Returns slots held by annotators who walked away to the pool once their lease has run out.</summary>
[DisallowConcurrentExecution]
public sealed class ExpireLeasesJob(PreferenceStudioDbContext db, TimeProvider clock, ILogger<ExpireLeasesJob> logger)
    : JobBase(db, clock, logger)
{
    public static readonly JobKey Key = new("expire-leases", JobGroups.Maintenance);

    protected override async Task<string?> RunAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var expired = await Db.Assignments
            .Where(a => a.State == AssignmentState.Active && a.ExpiresAt <= now)
            .OrderBy(a => a.ExpiresAt)
            .Take(1000)
            .ToListAsync(cancellationToken);
        foreach (var assignment in expired)
            assignment.Expire(now);
        await Db.SaveChangesAsync(cancellationToken);
        return $"expired {expired.Count} lease(s)";
    }
}
