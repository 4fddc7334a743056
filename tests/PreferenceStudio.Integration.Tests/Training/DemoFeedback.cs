using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>Span marks and principle verdicts on the demo project's tasks, stored as its annotators' labels, for the runs that learn from them.</summary>
internal static class DemoFeedback
{
    public static AnnotationContext Context(AnnotationTask task, string annotator) =>
        new(task.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromSeconds(10), [.. task.Responses.Select(r => r.ResponseId)], null, DateTimeOffset.UtcNow);

    /// <summary>
    /// The demo project's four span tasks labelled by its two annotators (one response each): the first word of a
    /// response marked factual-error on even labels, irrelevant on every third, the rest submitted with no error.
    /// Returns how many labels were written.
    /// </summary>
    public static async Task<int> MarkSpansAsync(PreferenceStudioDbContext db, int projectId, int count = 8)
    {
        ArgumentNullException.ThrowIfNull(db);
        var annotators = new[] { await AnnotatorAsync(db, "annotator@demo.local"), await AnnotatorAsync(db, "annotator2@demo.local") };
        var tasks = await TasksAsync(db, projectId, TaskKind.Span, 4);
        var labels = await db.SpanLabels.Where(l => l.ProjectId == projectId).ToDictionaryAsync(l => l.Key, l => l.Id);
        for (var i = 0; i < count; i++)
        {
            var task = tasks[i % tasks.Count];
            var responseId = task.Responses[0].ResponseId;
            var text = (await db.Responses.SingleAsync(r => r.Id == responseId)).Text;
            var firstWord = Math.Max(1, text.IndexOf(' ', StringComparison.Ordinal));
            List<MarkedSpan> spans = i % 2 == 0 ? [new(responseId, 0, firstWord, labels["factual-error"], Severity.Major, null)]
                : i % 3 == 0 ? [new(responseId, 0, firstWord, labels["irrelevant"], Severity.Minor, null)]
                : [];
            db.Annotations.Add(new SpanAnnotation(Context(task, annotators[i / tasks.Count]), spans, []));
        }
        await db.SaveChangesAsync();
        return count;
    }

    /// <summary>
    /// The demo project's first principle tasks (two responses each) judged on every demo principle by one annotator,
    /// yes and no alternating, except one "not applicable" verdict, which training leaves out. Returns how many labels were written.
    /// </summary>
    public static async Task<int> JudgePrinciplesAsync(PreferenceStudioDbContext db, int projectId, int tasks = 4)
    {
        ArgumentNullException.ThrowIfNull(db);
        var annotator = await AnnotatorAsync(db, "annotator@demo.local");
        var labelled = await TasksAsync(db, projectId, TaskKind.Principle, tasks);
        var principles = await db.Principles.Where(p => p.ProjectId == projectId).OrderBy(p => p.Order).Select(p => p.Id).ToListAsync();
        for (var i = 0; i < labelled.Count; i++)
        {
            var verdicts = labelled[i].Responses.SelectMany((r, j) => principles.Select((p, k) => new PrincipleVerdict(r.ResponseId, p,
                i == 0 && j == 0 && k == 0 ? Verdict.NotApplicable : (i + j + k) % 2 == 0 ? Verdict.Yes : Verdict.No, null))).ToList();
            db.Annotations.Add(new PrincipleAnnotation(Context(labelled[i], annotator), verdicts));
        }
        await db.SaveChangesAsync();
        return labelled.Count;
    }

    private static async Task<List<AnnotationTask>> TasksAsync(PreferenceStudioDbContext db, int projectId, TaskKind kind, int count)
    {
        var tasks = await db.Tasks.Where(t => t.ProjectId == projectId && t.Kind == kind).OrderBy(t => t.Id).Take(count).ToListAsync();
        tasks.Count.ShouldBe(count, $"the demo project has {count} {kind} tasks");
        return tasks;
    }

    private static Task<string> AnnotatorAsync(PreferenceStudioDbContext db, string email) =>
        db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
}
