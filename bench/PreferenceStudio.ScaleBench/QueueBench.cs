using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using PreferenceStudio.Annotating;
using PreferenceStudio.Data;
using PreferenceStudio.Testing;

namespace PreferenceStudio.ScaleBench;

/// <summary>
/// Next task on the seeded project: annotators new to it take a task and label it, over and over, until the wanted
/// number of leases is handed out; prints next-task p50/p95/p99 (the submit is the real one, not timed here).
/// </summary>
internal static class QueueBench
{
    public static async Task<int> RunAsync(string connection, int annotators, int leases, double goldRate)
    {
        var (projectId, users) = await ScaleProject.FreshAnnotatorsAsync(connection, annotators, "queue");
        // A gold rate makes some draws look for a gold task first; the seed has none, as a project whose gold ran out.
        await using (var db = TestDatabase.CreateContext(connection))
            await db.Database.ExecuteSqlAsync($"UPDATE projects SET gold_rate = {goldRate} WHERE id = {projectId}");
        var times = new ConcurrentBag<double>();
        var left = leases;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        // Pooled, a context per call, as the web app's requests get them.
        var contexts = new PooledDbContextFactory<PreferenceStudioDbContext>(TestDatabase.OptionsFor(connection));
        await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            QueueSettings project;
            await using (var db = contexts.CreateDbContext())
                project = QueueSettings.Of(await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId));
            while (Interlocked.Decrement(ref left) >= 0)
            {
                var t0 = Stopwatch.GetTimestamp();
                Lease? lease;
                await using (var db = contexts.CreateDbContext())
                    lease = await new AnnotationQueue(db, TimeProvider.System, NullLogger<AnnotationQueue>.Instance).NextAsync(project, user);
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                if (lease is null)
                    return;
                await using var db2 = contexts.CreateDbContext();
                var shown = await db2.Database.SqlQuery<int>(
                        $"SELECT response_id AS \"Value\" FROM task_responses WHERE task_id = {lease.TaskId} ORDER BY position")
                    .ToListAsync();
                var request = new SubmitRequest(Guid.NewGuid(), 1500, shown, null, new PairwiseAnswer(shown[0], shown[1], Random.Shared.Next(-2, 3), false));
                if ((await new SubmitService(db2, TimeProvider.System).SubmitAsync(lease.AssignmentId, user, request)).Receipt is null)
                    Interlocked.Increment(ref failures);
            }
        })));
        clock.Stop();
        var sorted = times.Order().ToList();
        double P(int p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
        Console.WriteLine($"| annotators | gold rate | next tasks | next task p50 / p95 / p99 (ms) | max (ms) | labels/s | refused |");
        Console.WriteLine($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| {annotators} | {goldRate} | {sorted.Count} | {P(50):0.0} / {P(95):0.0} / {P(99):0.0} | {sorted[^1]:0.0} | {sorted.Count / clock.Elapsed.TotalSeconds:0} | {failures} |");
        return failures == 0 ? 0 : 1;
    }
}
