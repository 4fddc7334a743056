using System.Diagnostics;

namespace PreferenceStudio.Testing.Http;

/// <summary>What a drill does: how many annotators label how many pairwise tasks (overlap 2), killed how often.</summary>
/// <param name="Kills">kill -9s of the web process, spread evenly over the labels; 0 measures the transport undisturbed.</param>
/// <param name="DownTime">How long the app stays dead before it is started again.</param>
public sealed record FireDrillPlan(int Annotators, int Tasks, int Kills, string Configuration, TimeSpan DownTime)
{
    public const int Overlap = 2;
    public const string Slug = "load";

    /// <summary>Labels the project takes in all: every task full (one annotator can give each task only one).</summary>
    public int ExpectedLabels => Tasks * Math.Min(Overlap, Annotators);
}

/// <summary>What the clients saw: every label they sent, the calls' round trips, the kills and restarts.</summary>
public sealed record FireDrillRun(
    FireDrillPlan Plan, IReadOnlyList<ApiAnnotator> Annotators, TimeSpan Labelling, int Kills, IReadOnlyList<TimeSpan> Restarts)
{
    public IEnumerable<SubmitRecord> Submits => Annotators.SelectMany(a => a.Submits);
}

/// <summary>
/// Nothing lost under fire: N annotators label through the HTTP JSON API of the real web process while that process is
/// killed with SIGKILL and started again, <see cref="FireDrillPlan.Kills"/> times, each kill after an equal share of
/// the labels was acknowledged. The clients retry what got no answer with the same idempotency key. Judge the outcome
/// with <see cref="FireDrillAudit"/>.
/// </summary>
public static class FireDrill
{
    public static async Task<FireDrillRun> RunAsync(TestDatabase database, FireDrillPlan plan, TextWriter? log = null, CancellationToken ct = default)
    {
        IReadOnlyDictionary<long, (int A, int B)> pairs;
        List<string> emails;
        await using (var db = database.CreateContext())
        {
            (_, var seeded) = await Seed.PairwiseProjectAsync(db, plan.Tasks, FireDrillPlan.Overlap, FireDrillPlan.Slug);
            pairs = seeded;
            emails = await AnnotatorAccounts.CreateAsync(db, plan.Annotators);
        }

        await using var web = new WebProcess(database.ConnectionString, plan.Configuration);
        await web.StartAsync();
        log?.WriteLine($"web process up at {web.BaseUrl} in {web.Starts[^1].TotalSeconds:0.0} s");
        // Patient enough for a restart on a loaded machine; an answer that never comes fails the drill.
        var annotators = emails.Select(e => new ApiAnnotator(web.BaseUrl, e, TimeSpan.FromSeconds(120))).ToList();
        try
        {
            // Sign-ins are PBKDF2 on the server: eight at a time keeps the first requests from timing out on 2 cores.
            using (var gate = new SemaphoreSlim(8))
                await Task.WhenAll(annotators.Select(async a =>
                {
                    await gate.WaitAsync(ct);
                    try { await a.SignInAsync(ct); }
                    finally { gate.Release(); }
                }));

            var acknowledged = 0;
            var clock = Stopwatch.StartNew();
            var labelling = Task.WhenAll(annotators.Select(a =>
                Task.Run(() => a.LabelAllAsync(FireDrillPlan.Slug, pairs, () => Interlocked.Increment(ref acknowledged), ct), ct)));
            var kills = 0;
            for (var k = 1; k <= plan.Kills; k++)
            {
                var due = plan.ExpectedLabels * k / (plan.Kills + 1);
                while (Volatile.Read(ref acknowledged) < due && !labelling.IsCompleted)
                    await Task.Delay(5, ct);
                if (labelling.IsCompleted)
                    break;
                web.Kill();
                kills++;
                log?.WriteLine($"kill -9 #{k} at {Volatile.Read(ref acknowledged)} acknowledged labels, {clock.Elapsed.TotalSeconds:0.0} s in");
                await Task.Delay(plan.DownTime, ct);
                await web.StartAsync();
                log?.WriteLine($"  restarted in {web.Starts[^1].TotalSeconds:0.0} s");
            }
            await labelling;
            clock.Stop();
            return new FireDrillRun(plan, annotators, clock.Elapsed, kills, web.Starts.Skip(1).ToList());
        }
        finally
        {
            // Their connections go; what they saw stays readable.
            foreach (var annotator in annotators)
                annotator.Dispose();
        }
    }
}
