using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Testing;

namespace PreferenceStudio.ScaleBench;

/// <summary>Makes the bench database and seeds one project in it with <see cref="ScaleSeeder"/>.</summary>
internal static class SeedCommand
{
    public const string Slug = "scale";

    /// <summary>Seeds a project named <paramref name="slug"/>, making and migrating the database first if it is new.</summary>
    public static async Task RunAsync(string name, string connection, ScaleSeedSize size, string slug)
    {
        await using (var admin = await AdminAsync())
        {
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = name } } };
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
                await create.ExecuteNonQueryAsync();
            }
        }
        await using (var db = TestDatabase.CreateContext(connection))
            await db.Database.MigrateAsync();
        Console.WriteLine($"Seeding project '{slug}' in {name}: {size.Tasks:N0} tasks, {size.Labels:N0} labels, {size.Annotators} annotators, overlap {size.Overlap}");
        var result = await ScaleSeeder.SeedAsync(connection, size, slug, line => Console.WriteLine("  " + line));
        Console.WriteLine($"Seeded project {result.ProjectId}: {result.Rows:N0} rows in {result.Elapsed.TotalSeconds:0.0} s, {result.RowsPerSecond:N0} rows/s (COPY, indexes and ANALYZE included)");
    }

    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = await AdminAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
        Console.WriteLine($"Dropped {name}");
    }

    private static async Task<NpgsqlConnection> AdminAsync()
    {
        var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.Server) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        return admin;
    }
}
