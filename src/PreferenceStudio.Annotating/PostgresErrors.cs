using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PreferenceStudio.Annotating;

internal static class PostgresErrors
{
    /// <summary>The unique index that refused the write, or null when it was not a unique violation.</summary>
    public static string? UniqueViolation(this DbUpdateException ex) =>
        ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg ? pg.ConstraintName ?? "" : null;

    public static string? UniqueViolation(this PostgresException ex) =>
        ex.SqlState == PostgresErrorCodes.UniqueViolation ? ex.ConstraintName ?? "" : null;
}
