using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using PreferenceStudio.Testing;
using PreferenceStudio.Annotating;
using PreferenceStudio.Data;

namespace PreferenceStudio.LabelBench;

/// <summary>
/// How fast annotators get tasks and store labels when many work at once: each run makes a fresh database with
/// pairwise tasks (overlap 2), lets N simulated annotators take and label tasks until none is left, checks that no slot
/// was handed out twice and no label lost, and prints throughput, latency and round trips to PostgreSQL per call.
/// Usage: dotnet run -c Release --project bench/PreferenceStudio.LabelBench [tasks=1000] [annotators=1,4,16,32] [think ms=0];
/// with a think time each annotator waits that long between getting a task and submitting it, as a person reads and
/// decides, so latency can be measured at a load the machine carries instead of at its limit;
/// `http [tasks] [annotators]` runs the same through the JSON API of the real web process beside this and pgbench
/// (<see cref="TransportBench"/>); `fire [annotators] [tasks] [kills]` is the kill -9 drill at full size (<see cref="FireBench"/>).
/// </summary>
internal static class LabelBench
{
    private static readonly RoundTripCounter Trips = new();

    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "http")
            return await TransportBench.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "fire")
            return await FireBench.RunAsync(args[1..]);
        var tasks = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var levels = (args.Length > 1 ? args[1] : "1,4,16,32").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var think = TimeSpan.FromMilliseconds(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0);
        Console.WriteLine($"PreferenceStudio label bench: {tasks} pairwise tasks, overlap 2, think time {think.TotalMilliseconds:0} ms, server {TestDatabase.Server.Split(";Password")[0]}");
        Console.WriteLine();
        Console.WriteLine("| annotators | labels | labels/s | next task p50 / p95 (ms) | submit p50 / p95 (ms) | round trips per next task / submit | CPU per label: bench / rest of machine (ms) | refused | integrity |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var ok = true;
        foreach (var annotators in levels)
            ok &= (await RunAsync(tasks, annotators, think: think)).Integrity is null;
        return ok ? 0 : 1;
    }

    /// <summary>One row: a fresh database labelled to the end by <paramref name="annotators"/>; printed unless told not to.</summary>
    internal static async Task<UseCaseRow> RunAsync(int taskCount, int annotators, bool print = true, TimeSpan think = default)
    {
        await using var database = await TestDatabase.CreateAsync();
        var (projectId, pairs, users) = await SeedAsync(database, taskCount, annotators);
        var nextTimes = new ConcurrentBag<double>();
        var submitTimes = new ConcurrentBag<double>();
        var refused = 0;
        var stored = 0;
        long nextTrips = 0, nextCalls = 0, submitTrips = 0;

        // Pooled, as the web app's contexts are.
        var contexts = new PooledDbContextFactory<PreferenceStudioDbContext>(TestDatabase.OptionsFor(database.ConnectionString));
        var cpu = new CpuMeter();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            Trips.Begin();
            QueueSettings project;
            await using (var db = database.CreateContext())
                project = QueueSettings.Of(await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId));
            while (true)
            {
                // A context per call, as each request and each circuit event of the web app gets its own scope.
                var trips = Trips.Count;
                var t0 = Stopwatch.GetTimestamp();
                Lease? lease;
                await using (var db = contexts.CreateDbContext())
                    lease = await new AnnotationQueue(db, TimeProvider.System, NullLogger<AnnotationQueue>.Instance).NextAsync(project, user);
                nextTimes.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Interlocked.Add(ref nextTrips, Trips.Count - trips);
                Interlocked.Increment(ref nextCalls);
                if (lease is null)
                    return;
                var (a, b) = pairs[lease.TaskId];
                if (think > TimeSpan.Zero)
                    await Task.Delay(think);
                var request = new SubmitRequest(Guid.NewGuid(), 1500, [a, b], null, new PairwiseAnswer(a, b, Random.Shared.Next(-2, 3), false));
                trips = Trips.Count;
                t0 = Stopwatch.GetTimestamp();
                SubmitOutcome outcome;
                await using (var db = contexts.CreateDbContext())
                    outcome = await new SubmitService(db, TimeProvider.System).SubmitAsync(lease.AssignmentId, user, request);
                submitTimes.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Interlocked.Add(ref submitTrips, Trips.Count - trips);
                if (outcome.Receipt is null)
                    Interlocked.Increment(ref refused);
                else
                    Interlocked.Increment(ref stored);
            }
        })));
        clock.Stop();
        var (ownCpu, restCpu) = cpu.Elapsed();

        var integrity = await CheckAsync(database, stored, taskCount, annotators);
        var row = new UseCaseRow(stored / clock.Elapsed.TotalSeconds, P(nextTimes, 50), P(nextTimes, 95), P(submitTimes, 50), P(submitTimes, 95), integrity);
        if (print)
            Console.WriteLine($"| {annotators} | {stored} | {stored / clock.Elapsed.TotalSeconds:0} | {P(nextTimes, 50):0.0} / {P(nextTimes, 95):0.0} | " +
                          $"{P(submitTimes, 50):0.0} / {P(submitTimes, 95):0.0} | " +
                          $"{(double)nextTrips / nextCalls:0.0} / {(double)submitTrips / submitTimes.Count:0.0} | " +
                          $"{ownCpu * 1000 / stored:0.00} / {restCpu * 1000 / stored:0.00} | {refused} | {integrity ?? "ok"} |");
        return row;
    }

    private static async Task<string?> CheckAsync(TestDatabase database, int stored, int taskCount, int annotators)
    {
        await using var db = database.CreateContext();
        var labels = await db.Annotations.CountAsync();
        var overfull = await db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM annotation_tasks t
            WHERE (SELECT count(*) FROM annotations a WHERE a.task_id = t.id) > t.required_annotations
            """).SingleAsync();
        // With one annotator a task can only ever get one label; otherwise every task must be full.
        var expected = taskCount * Math.Min(2, annotators);
        if (labels != stored) return $"{labels} labels stored but {stored} acknowledged";
        if (overfull > 0) return $"{overfull} task(s) over their overlap";
        if (labels != expected) return $"{labels} labels, expected {expected}";
        return null;
    }

    private static async Task<(int ProjectId, Dictionary<long, (int A, int B)> Pairs, List<string> Users)> SeedAsync(TestDatabase database, int taskCount, int annotators)
    {
        await using var db = database.CreateContext();
        var (projectId, pairs) = await Seed.PairwiseProjectAsync(db, taskCount);
        var users = new List<string>();
        for (var i = 0; i < annotators; i++)
            users.Add((await Seed.UserAsync(db, $"bench{i}@example.org")).Id);
        // Statistics for the fresh tables now, as a project imported a while ago has them, rather than from autovacuum
        // half-way through the measured part.
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
        return (projectId, pairs, users);
    }

    internal static double P(IEnumerable<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}

/// <summary>A use-case-layer row: labels/s, next-task and submit latency (ms), and what integrity found wrong, if anything.</summary>
internal sealed record UseCaseRow(double LabelsPerSecond, double NextP50, double NextP95, double SubmitP50, double SubmitP95, string? Integrity);
