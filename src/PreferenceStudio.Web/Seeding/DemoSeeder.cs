using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Seeding;

/// <summary>Roles, the demo accounts and a small demo project with tasks of every kind. Idempotent.</summary>
public sealed class DemoSeeder(
    PreferenceStudioDbContext db,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    ILogger<DemoSeeder> logger)
{
    public const string ProjectSlug = "demo-helpfulness";

    public async Task<bool> SeedAsync()
    {
        await EnsureRolesAsync();
        foreach (var account in DemoAccounts.All)
            await EnsureAccountAsync(account);
        if (await db.Projects.AnyAsync(p => p.Slug == ProjectSlug))
            return false;
        await SeedProjectAsync();
        return true;
    }

    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"role {role}");
    }

    private async Task EnsureAccountAsync(DemoAccounts.Account account)
    {
        if (await users.FindByEmailAsync(account.Email) is not null)
            return;
        var user = new ApplicationUser { UserName = account.Email, Email = account.Email, EmailConfirmed = true, DisplayName = account.DisplayName };
        Check(await users.CreateAsync(user, account.Password), account.Email);
        Check(await users.AddToRoleAsync(user, account.Role), account.Email);
        logger.LogInformation("Created demo account {Email} ({Role})", account.Email, account.Role);
    }

    private async Task SeedProjectAsync()
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        var project = new Project("Demo: helpful and honest answers", ProjectSlug,
            FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Span | FeedbackKinds.Principle);
        project.ConfigureAssignment(overlap: 2, lease: TimeSpan.FromMinutes(20), goldRate: 0.1, allowRankingTies: true);
        project.WriteGuidelines(DemoContent.Guidelines);
        foreach (var (key, text) in DemoContent.Principles)
            project.AddPrinciple(key, text);
        foreach (var (key, name, description) in DemoContent.SpanLabels)
            project.AddSpanLabel(key, name, description);
        db.Projects.Add(project);
        await db.SaveChangesAsync();

        var prompts = DemoContent.Prompts.Select(p =>
        {
            var prompt = new Prompt(project.Id, p.Conversation, p.ExternalId);
            foreach (var (text, source) in p.Responses)
                prompt.AddResponse(text, source);
            return prompt;
        }).ToList();
        db.Prompts.AddRange(prompts);
        await db.SaveChangesAsync();

        var priority = 0;
        foreach (var prompt in prompts)
        {
            var ids = prompt.Responses.Select(r => r.Id).ToList();
            db.Tasks.Add(new AnnotationTask(project, prompt.Id, TaskKind.Pairwise, ids.Take(2).ToList(), priority));
            if (ids.Count >= 3)
                db.Tasks.Add(new AnnotationTask(project, prompt.Id, TaskKind.Ranking, ids, priority));
            db.Tasks.Add(new AnnotationTask(project, prompt.Id, TaskKind.Span, ids.Take(1).ToList(), priority));
            db.Tasks.Add(new AnnotationTask(project, prompt.Id, TaskKind.Principle, ids.Take(2).ToList(), priority));
            priority++;
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Seeding {what} failed: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
