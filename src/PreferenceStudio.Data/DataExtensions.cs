using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        // The factory for what lives long (an interactive page's circuit, a job that works in units); it registers the
        // scoped context too, for a request or a job's scope.
        builder.Services.AddDbContextFactory<PreferenceStudioDbContext>(options => options.UsePreferenceStudioDatabase(connectionString));
        return builder;
    }

    public static DbContextOptionsBuilder UsePreferenceStudioDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        // Split queries: a project auto-includes both its principles and its span labels, and one joined query
        // would return their cross product.
        options.UseNpgsql(connectionString, npgsql => npgsql
                .MigrationsHistoryTable("__ef_migrations_history")
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(UnstorableTextInterceptor.Instance);
}
