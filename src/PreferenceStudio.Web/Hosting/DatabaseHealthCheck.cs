using Microsoft.Extensions.Diagnostics.HealthChecks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Hosting;

/// <summary>A web node is healthy when it can reach PostgreSQL, the one source of truth; it keeps nothing else.</summary>
internal sealed class DatabaseHealthCheck(PreferenceStudioDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("PostgreSQL cannot be reached.");
}
