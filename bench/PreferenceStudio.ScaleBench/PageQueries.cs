using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Testing;

namespace PreferenceStudio.ScaleBench;

/// <summary>
/// The queries behind the project page (ProjectOverviewQuery's progress, TaskListQuery's count and first page) and the
/// quality page (ProjectQualityQuery's current labels of each kind), written here as those classes write them (they
/// sit behind the web host's access gate), each timed on the seeded project. The quality page's labels are streamed
/// and counted here, not held: the page itself keeps them all in memory, so this is the least it costs.
/// </summary>
internal static class PageQueries
{
    public static async Task RunAsync(string connection)
    {
        await using var db = TestDatabase.CreateContext(connection);
        var projectId = await db.Projects.Where(p => p.Slug == SeedCommand.Slug).Select(p => p.Id).SingleAsync();
        Console.WriteLine("| page | query | rows | ms |");
        Console.WriteLine("| --- | --- | ---: | ---: |");
        await TimeAsync("project", "progress per kind (ProjectOverviewQuery)", async () =>
            (await db.Tasks.Where(t => t.ProjectId == projectId).Select(t => new { t.Kind, t.State }).GroupBy(t => t.Kind)
                .OrderBy(g => g.Key)
                .Select(g => new { g.Key, Open = g.Count(t => t.State == TaskState.Open), Complete = g.Count(t => t.State == TaskState.Complete) })
                .ToListAsync()).Count);
        var tasks = db.Tasks.AsNoTracking().Where(t => t.ProjectId == projectId).Select(t => new
        {
            t.Id, t.Kind, t.State, t.CompletedAnnotations, t.RequiredAnnotations, t.Priority, t.IsGold,
            PromptId = db.Prompts.Where(p => p.Id == t.PromptId).Select(p => p.ExternalId).FirstOrDefault(),
        });
        await TimeAsync("project", "task list: total (TaskListQuery)", () => tasks.CountAsync());
        await TimeAsync("project", "task list: first page of 25 by id", async () => (await tasks.OrderBy(r => r.Id).Take(25).ToListAsync()).Count);
        await TimeAsync("quality", "current pairwise labels (ProjectQualityQuery)", () => CountAsync(Current<PairwiseAnnotation>(db, projectId)));
        await TimeAsync("quality", "current ranking labels", () => CountAsync(Current<RankingAnnotation>(db, projectId)));
        await TimeAsync("quality", "current principle labels", () => CountAsync(Current<PrincipleAnnotation>(db, projectId)));
        await TimeAsync("quality", "current span labels (three columns)", () =>
            CountAsync(Current<SpanAnnotation>(db, projectId).Select(a => new { a.AnnotatorId, a.TimeSpentMs, a.CreatedAt })));
    }

    private static IQueryable<T> Current<T>(PreferenceStudioDbContext db, int projectId) where T : Annotation =>
        db.Set<T>().AsNoTracking().Where(a => a.SupersededAt == null && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId));

    private static async Task<int> CountAsync<T>(IQueryable<T> query)
    {
        var rows = 0;
        await foreach (var _ in query.AsAsyncEnumerable())
            rows++;
        return rows;
    }

    private static async Task TimeAsync(string page, string query, Func<Task<int>> run)
    {
        var clock = Stopwatch.StartNew();
        var rows = await run();
        Console.WriteLine($"| {page} | {query} | {rows:N0} | {clock.Elapsed.TotalMilliseconds:0} |");
    }
}
