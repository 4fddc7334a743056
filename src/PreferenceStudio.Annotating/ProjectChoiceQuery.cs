using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Annotating;

/// <summary>A project an annotator can pick, with how many of its open tasks they have not been given yet.</summary>
public sealed record ProjectChoice(string Slug, string Name, int Waiting);

public sealed class ProjectChoiceQuery(PreferenceStudioDbContext db)
{
    /// <summary>Every project by name, counted in one statement: open tasks this annotator holds no assignment on.</summary>
    public async Task<IReadOnlyList<ProjectChoice>> ForAnnotatorAsync(string annotatorId, CancellationToken ct = default) =>
        await db.Projects.AsNoTracking()
            .OrderBy(p => p.Name)
            .Select(p => new ProjectChoice(p.Slug, p.Name, db.Tasks.Count(t =>
                t.ProjectId == p.Id && t.State == TaskState.Open &&
                !db.Assignments.Any(a => a.TaskId == t.Id && a.AnnotatorId == annotatorId))))
            .ToListAsync(ct);
}
