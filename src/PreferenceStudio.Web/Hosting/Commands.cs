using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Web.Hosting;

/// <summary>
/// One-shot commands run before the app serves: `migrate`, `seed` (demo data, a simulated annotator's labels on it and
/// a demo base model),
/// `create-user EMAIL ROLE` (the password is read from PS_NEW_USER_PASSWORD, so it stays out of shell history) and
/// `register-model NAME FOLDER` (a Hugging Face checkpoint folder researchers can train from).
/// </summary>
public static class Commands
{
    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        var commands = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        if (commands.Count == 0)
            return false;
        if (commands[0] == "create-user")
            return await CreateUserAsync(app, commands);
        if (commands[0] == "register-model")
            return await RegisterModelAsync(app, commands);
        foreach (var command in commands)
        {
            await using var scope = app.Services.CreateAsyncScope();
            switch (command)
            {
                case "migrate":
                    await MigrateAsync(scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>());
                    // Made for the first time here, Hangfire's storage installs or upgrades its schema ("hangfire").
                    scope.ServiceProvider.GetRequiredService<Hangfire.JobStorage>();
                    Console.WriteLine("Database is up to date (the app's tables and Hangfire's schema).");
                    break;
                case "seed":
                    var seeded = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
                    Console.WriteLine(seeded ? "Seeded the demo project and accounts." : "Demo data already present.");
                    var sitting = await scope.ServiceProvider.GetRequiredService<DemoLabels>().SeedAsync();
                    if (sitting.Labels > 0)
                        Console.WriteLine($"A simulated annotator labelled {sitting.Pairwise} pairwise and {sitting.Rankings} ranking task(s) of the demo.");
                    if (await scope.ServiceProvider.GetRequiredService<ModelRegistry>().EnsureDemoBaseModelAsync(CancellationToken.None))
                        Console.WriteLine($"Made and registered the base model '{ModelRegistry.DemoModelName}'.");
                    break;
                default:
                    Console.Error.WriteLine($"Unknown command '{command}'. Commands: migrate, seed, create-user, register-model.");
                    Environment.ExitCode = 2;
                    return true;
            }
        }
        return true;
    }

    private static async Task<bool> CreateUserAsync(WebApplication app, List<string> command)
    {
        var password = Environment.GetEnvironmentVariable("PS_NEW_USER_PASSWORD");
        if (command.Count != 3 || string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("usage: PS_NEW_USER_PASSWORD=... PreferenceStudio.Web create-user EMAIL ROLE");
            Environment.ExitCode = 2;
            return true;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var errors = await scope.ServiceProvider.GetRequiredService<Accounts.AccountService>()
            .CreateAsync(command[1], command[1], command[2], password);
        foreach (var error in errors)
            Console.Error.WriteLine(error);
        Environment.ExitCode = errors.Count == 0 ? 0 : 1;
        if (errors.Count == 0)
            Console.WriteLine($"Created {command[1]} ({command[2]}).");
        return true;
    }

    private static async Task<bool> RegisterModelAsync(WebApplication app, List<string> command)
    {
        if (command.Count != 3)
        {
            Console.Error.WriteLine("usage: PreferenceStudio.Web register-model NAME FOLDER");
            Environment.ExitCode = 2;
            return true;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var (version, errors) = await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RegisterAsync(command[1], command[2], CancellationToken.None);
        foreach (var error in errors)
            Console.Error.WriteLine(error);
        Environment.ExitCode = version is null ? 1 : 0;
        if (version is not null)
            Console.WriteLine($"Registered model version {version.Id} '{version.Name}'.");
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
