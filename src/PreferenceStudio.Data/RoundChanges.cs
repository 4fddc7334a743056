using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace PreferenceStudio.Data;

/// <summary>
/// The PostgreSQL channel on which the loop announces that a round changed (a stage started, progressed or finished),
/// as <see cref="RunChanges"/> does for training runs. The payload is the round's id; listeners re-read the round.
/// </summary>
public static class RoundChanges
{
    public const string Channel = "loop_round_changed";

    /// <summary>Announces a change of <paramref name="roundId"/>, after the SaveChanges that made it visible.</summary>
    public static async Task NotifyRoundChangedAsync(this DatabaseFacade database, long roundId, CancellationToken cancellationToken)
    {
        var payload = roundId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})", cancellationToken);
    }
}
