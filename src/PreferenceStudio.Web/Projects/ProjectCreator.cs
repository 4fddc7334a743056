using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

/// <summary>Creates a project from the set-up form: every problem at its field, and nothing stored unless all is well.</summary>
public sealed class ProjectCreator(AccessGate gate, IServiceScopeFactory scopes)
{
    public sealed record Outcome(string? Slug, IReadOnlyList<FieldError> Errors)
    {
        public bool Created => Slug is not null;
    }

    public async Task<Outcome> CreateAsync(ClaimsPrincipal user, ProjectSetupForm form, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        var (project, errors) = form.ToProject();
        if (project is null)
            return new Outcome(null, errors);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var taken = new FieldError(nameof(ProjectSetupForm.Slug), $"A project with the slug '{project.Slug}' exists already.");
        if (await db.Projects.AnyAsync(p => p.Slug == project.Slug, cancellationToken))
            return new Outcome(null, [taken]);
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new Outcome(null, [taken]); // created by someone else between the check and the insert
        }
        return new Outcome(project.Slug, []);
    }
}
