using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Web.Hosting;

/// <summary>One-shot commands the set-up scripts run before the app serves: `migrate` and `seed`.</summary>
public static class Commands
{
    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        var commands = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        if (commands.Count == 0)
            return false;
        foreach (var command in commands)
        {
            await using var scope = app.Services.CreateAsyncScope();
            switch (command)
            {
                case "migrate":
                    await MigrateAsync(scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>());
                    Console.WriteLine("Database is up to date.");
                    break;
                case "seed":
                    var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
                    Console.WriteLine(seeded ? "Seeded the demo project and accounts." : "Demo data already present.");
                    break;
                default:
                    Console.Error.WriteLine($"Unknown command '{command}'. Commands: migrate, seed.");
                    Environment.ExitCode = 2;
                    return true;
            }
        }
        return true;
    }

    private static async Task MigrateAsync(PreferenceStudioDbContext db)
    {
        // Creating a missing database and history table first spares a first run two scary, harmless errors in the log.
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync())
            await creator.CreateAsync();
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync();
        await db.Database.MigrateAsync();
    }
}
