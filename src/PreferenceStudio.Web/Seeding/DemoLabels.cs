using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Seeding;

/// <summary>
/// Labels for the demo project, so a researcher's first look finds labels to read, export and train on: a simulated
/// annotator with a known taste (<see cref="DemoTaste"/>: answers of about 40 words) labels each pairwise and ranking
/// task once, through the same queue and submit as a person. It holds one of the project's two slots per task, so
/// every task still waits for a human. Idempotent: it labels only what its account has not labelled yet.
/// </summary>
public sealed class DemoLabels(
    IDbContextFactory<PreferenceStudioDbContext> contexts,
    UserManager<ApplicationUser> users,
    TimeProvider clock,
    ILoggerFactory logs)
{
    public const string Email = "simulated-annotator@demo.local";

    public async Task<SimulatedSitting> SeedAsync(CancellationToken cancellationToken = default)
    {
        var account = await users.FindByEmailAsync(Email) ?? await CreateAccountAsync();
        return await new SimulatedAnnotator(contexts, clock, logs, DemoTaste.Judge(seed: 1), account.Id).LabelAsync(DemoSeeder.ProjectSlug, ct: cancellationToken);
    }

    // Nobody signs in as the simulated annotator: its password is random and never shown.
    private async Task<ApplicationUser> CreateAccountAsync()
    {
        var user = new ApplicationUser { UserName = Email, Email = Email, EmailConfirmed = true, DisplayName = "Simulated annotator" };
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)) + "aA1!";
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, Roles.Annotator));
        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Seeding the simulated annotator failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
