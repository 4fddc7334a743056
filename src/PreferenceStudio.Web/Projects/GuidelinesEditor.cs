using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

/// <summary>Rewrites a project's Markdown guidelines; annotators see the new text on their next task.</summary>
public sealed class GuidelinesEditor(AccessGate gate, IServiceScopeFactory scopes)
{
    public const int MaxLength = 100_000;

    /// <summary>The problem with the text, or null once it is stored.</summary>
    public async Task<string?> SaveAsync(ClaimsPrincipal user, int projectId, string? markdown, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        markdown ??= "";
        if (markdown.Length > MaxLength)
            return $"Guidelines have at most {MaxLength} characters; these have {markdown.Length}.";
        if (StorableText.Problem(markdown) is { } problem)
            return "The guidelines " + problem;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
            return $"There is no project {projectId} (any more).";
        project.WriteGuidelines(markdown);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }
}
