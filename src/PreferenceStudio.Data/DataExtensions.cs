using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace PreferenceStudio.Data;

public static class DataExtensions
{
    public const string ConnectionName = "Default";

    public static string RequireConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionName) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "ConnectionStrings:Default is not set. ./run and ./test start a private PostgreSQL and set it; " +
                "to use another server set the environment variable ConnectionStrings__Default.");

    public static IHostApplicationBuilder AddPreferenceStudioData(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.RequireConnectionString();
        // The factory for what lives long (an interactive page's circuit, a job that works in units), and the scoped
        // context of a request or a job's scope taken from it. Pooled: every annotation call gets a context of its own,
        // and setting up a fresh one (its service scope, its logger) cost a sixth of a label's CPU in the label bench.
        builder.Services.AddPooledDbContextFactory<PreferenceStudioDbContext>(options => options.UsePreferenceStudioDatabase(connectionString));
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<PreferenceStudioDbContext>>().CreateDbContext());
        return builder;
    }

    public static DbContextOptionsBuilder UsePreferenceStudioDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        // Split queries: a project auto-includes both its principles and its span labels, and one joined query
        // would return their cross product.
        options.UseNpgsql(WithPreparedStatements(connectionString), npgsql => npgsql
                .MigrationsHistoryTable("__ef_migrations_history")
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(UnstorableTextInterceptor.Instance);

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string says otherwise: a statement sent a second time on
    /// a connection is prepared there, and PostgreSQL parses and plans it once instead of on every call. The label
    /// path sends the same few statements thousands of times a minute; prepared, the label bench made 1.7 times the
    /// labels per second on the same machine. A connection string that sets Max Auto Prepare keeps its value (0 behind
    /// a pooler in transaction mode, where a prepared statement may not be on the next server connection).
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        // Npgsql's own builder answers every keyword it knows as present; the plain one holds only what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }
}
