using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

public static class DemoProjectSpanLabels
{
    /// <summary>
    /// Each span task of the demo project labelled by both demo annotators: the first word marked factual-error on
    /// every other label, the rest with no error. Returns how many labels were written.
    /// </summary>
    public static async Task<int> LabelEverySpanTaskTwiceAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var annotators = await db.Users.Where(u => u.Email == "annotator@demo.local" || u.Email == "annotator2@demo.local").Select(u => u.Id).ToListAsync();
        var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
        var factual = await db.SpanLabels.Where(l => l.ProjectId == project.Id && l.Key == "factual-error").Select(l => l.Id).SingleAsync();
        var tasks = await db.Tasks.Where(t => t.ProjectId == project.Id && t.Kind == TaskKind.Span).OrderBy(t => t.Id).ToListAsync();
        var count = 0;
        foreach (var annotator in annotators)
            foreach (var task in tasks)
            {
                var response = task.Responses[0].ResponseId;
                var text = await db.Responses.Where(r => r.Id == response).Select(r => r.Text).SingleAsync();
                var firstWord = Math.Max(1, text.IndexOf(' ', StringComparison.Ordinal));
                List<MarkedSpan> spans = count++ % 2 == 0 ? [new(response, 0, firstWord, factual, Severity.Major, null)] : [];
                db.Annotations.Add(new SpanAnnotation(
                    new AnnotationContext(task.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromSeconds(5), [response], null, DateTimeOffset.UtcNow),
                    spans, []));
            }
        await db.SaveChangesAsync();
        return count;
    }
}
