using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Testing;

namespace PreferenceStudio.ScaleBench;

/// <summary>
/// A project at a million tasks. The database is kept between commands (a seed takes minutes), named ps_scale_NAME on
/// the PS_TEST_DB server; drop it when done.
/// Usage: dotnet run -c Release --project bench/PreferenceStudio.ScaleBench -- COMMAND NAME [arguments]
///   seed NAME [tasks=1000000] [labels=10000000] [slug=scale]
///                                                 seeds a project (the database is made and migrated if new), prints rows/s
///   migrate NAME                                  applies the app's migrations added since the seed
///   plans NAME                                    EXPLAIN ANALYZE of the queue's statements
///   queue NAME [annotators=32] [leases=2000] [gold rate=0]
///                                                 next task p50/p95/p99 with that many annotators taking and labelling
///   export NAME [slug=scale]                       the TRL export of a project beside COPY of the same rows
///   pages NAME                                    the project and quality pages' queries, timed
///   quality NAME [views=20]                       the quality figures computed in SQL, then views served from their snapshot
///   drop NAME
/// </summary>
internal static class ScaleBench
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: ScaleBench seed|migrate|plans|queue|export|pages|quality|drop NAME [arguments]");
            return 2;
        }
        var (command, name) = (args[0], "ps_scale_" + args[1]);
        var connection = new NpgsqlConnectionStringBuilder(TestDatabase.Server) { Database = name, MaxPoolSize = 80, CommandTimeout = 0 }.ConnectionString;
        int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
        switch (command)
        {
            case "seed":
                await SeedCommand.RunAsync(name, connection, new ScaleSeedSize(Arg(2, 1_000_000), Arg(3, 10_000_000)), args.Length > 4 ? args[4] : SeedCommand.Slug);
                return 0;
            case "migrate":
                await using (var db = TestDatabase.CreateContext(connection))
                    await db.Database.MigrateAsync();
                return 0;
            case "plans":
                await QueuePlans.RunAsync(connection);
                return 0;
            case "queue":
                return await QueueBench.RunAsync(connection, Arg(2, 32), Arg(3, 2000),
                    args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 0);
            case "export":
                await ExportBench.RunAsync(connection, args.Length > 2 ? args[2] : SeedCommand.Slug);
                return 0;
            case "pages":
                await PageQueries.RunAsync(connection);
                return 0;
            case "quality":
                await QualityBench.RunAsync(connection, Arg(2, 20));
                return 0;
            case "drop":
                await SeedCommand.DropAsync(name);
                return 0;
            default:
                Console.Error.WriteLine($"unknown command '{command}': seed, migrate, plans, queue, export, pages, quality or drop");
                return 2;
        }
    }
}
