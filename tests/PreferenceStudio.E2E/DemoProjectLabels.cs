using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

public static class DemoProjectLabels
{
    /// <summary>An "A is better" label by the demo annotator on each pairwise task of the demo project; returns how many.</summary>
    public static async Task<int> LabelEveryPairwiseTaskAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var annotator = (await db.Users.SingleAsync(u => u.Email == "annotator@demo.local")).Id;
        var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
        var tasks = await db.Tasks.Where(t => t.ProjectId == project.Id && t.Kind == TaskKind.Pairwise).ToListAsync();
        foreach (var task in tasks)
        {
            var (a, b) = (task.Responses[0].ResponseId, task.Responses[1].ResponseId);
            db.Annotations.Add(new PairwiseAnnotation(
                new AnnotationContext(task.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromSeconds(5), [a, b], null, DateTimeOffset.UtcNow),
                a, b, PairwisePreference.ABetter, bothBad: false));
        }
        await db.SaveChangesAsync();
        return tasks.Count;
    }
}
