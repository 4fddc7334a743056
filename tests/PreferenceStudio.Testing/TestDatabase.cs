using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Data;

namespace PreferenceStudio.Testing;

/// <summary>
/// A fresh database on the test PostgreSQL server, migrated, dropped on dispose. The server comes from
/// PS_TEST_DB (./test sets it); without it the private cluster that ./run and ./test start is used.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=55432;Username=preferencestudio;Password=preferencestudio";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string Server => Environment.GetEnvironmentVariable("PS_TEST_DB") is { Length: > 0 } s ? s : DefaultServer;

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var name = "ps_test_" + Guid.NewGuid().ToString("N")[..12];
        var builder = new NpgsqlConnectionStringBuilder(Server) { Database = name, Pooling = true, MaxPoolSize = 60 };
        try
        {
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres" }.ConnectionString);
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"The test PostgreSQL at '{Server}' cannot be reached ({ex.Message}). Run ./test, which starts it, " +
                "or set PS_TEST_DB to a server where this user may create databases.", ex);
        }
        var db = new TestDatabase(name, builder.ConnectionString);
        if (migrate)
        {
            await using var context = db.CreateContext();
            await context.Database.MigrateAsync();
        }
        return db;
    }

    /// <summary>Contexts on this database for services that take a factory, as the app's do.</summary>
    public IDbContextFactory<PreferenceStudioDbContext> ContextFactory() => new Contexts(this);

    private sealed class Contexts(TestDatabase database) : IDbContextFactory<PreferenceStudioDbContext>
    {
        public PreferenceStudioDbContext CreateDbContext() => database.CreateContext();
    }

    // Built once, as the app's context factory builds them: a context per call is then as cheap as the app's.
    private DbContextOptions<PreferenceStudioDbContext>? _options;

    public PreferenceStudioDbContext CreateContext() => new(_options ??= OptionsFor(ConnectionString));

    /// <summary>A context on any database, configured as the app's are (for benches that keep their database).</summary>
    public static PreferenceStudioDbContext CreateContext(string connectionString) => new(OptionsFor(connectionString));

    /// <summary>Options configured as the app's are.</summary>
    public static DbContextOptions<PreferenceStudioDbContext> OptionsFor(string connectionString) =>
        (DbContextOptions<PreferenceStudioDbContext>)new DbContextOptionsBuilder<PreferenceStudioDbContext>().UsePreferenceStudioDatabase(connectionString).Options;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
