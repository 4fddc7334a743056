using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace PreferenceStudio.Data;

/// <summary>
/// The PostgreSQL channel on which writers announce that a training run changed (new metric points, a new state), so
/// that web nodes can push the change to the pages watching that run. The payload is the run's id and nothing else: a
/// listener re-reads what changed, so a lost or merged notification costs a delay, never a wrong page.
/// </summary>
public static class RunChanges
{
    public const string Channel = "training_run_changed";

    /// <summary>
    /// Announces a change of <paramref name="runId"/>. Call it after the SaveChanges that made the change visible: on its
    /// own it commits at once; inside an open transaction PostgreSQL holds it back until that transaction commits.
    /// </summary>
    public static async Task NotifyRunChangedAsync(this DatabaseFacade database, long runId, CancellationToken cancellationToken)
    {
        var payload = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken);
    }

    /// <summary>The run a notification names, or null for a payload that is not one of ours.</summary>
    public static long? RunIdOf(string payload) =>
        long.TryParse(payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
