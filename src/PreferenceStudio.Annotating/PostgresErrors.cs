using Npgsql;

namespace PreferenceStudio.Annotating;

internal static class PostgresErrors
{
    /// <summary>
    /// The unique index that refused the write, or null when it was not a unique violation: from Npgsql directly, or
    /// wrapped by EF Core's SaveChanges.
    /// </summary>
    public static string? UniqueViolation(this Exception ex) =>
        (ex as PostgresException ?? ex.InnerException as PostgresException) is { SqlState: PostgresErrorCodes.UniqueViolation } pg
            ? pg.ConstraintName ?? ""
            : null;
}
