using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Data;

namespace PreferenceStudio.Annotating;

internal static class StatementsOnTheirOwn
{
    /// <summary>
    /// Runs <paramref name="work"/> on the context's connection outside any explicit transaction, where each statement
    /// (or batch) commits on its own. Null, for the caller's locked way, when the context is already in a transaction
    /// (the work would have to join it) or when PostgreSQL chose the work as a deadlock's victim (it rolled all of the
    /// statement back).
    /// </summary>
    public static async Task<T?> RunAsync<T>(PreferenceStudioDbContext db, Func<NpgsqlConnection, Task<T?>> work, CancellationToken ct)
        where T : class
    {
        if (db.Database.CurrentTransaction is not null)
            return null;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await work((NpgsqlConnection)db.Database.GetDbConnection());
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected)
        {
            return null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
