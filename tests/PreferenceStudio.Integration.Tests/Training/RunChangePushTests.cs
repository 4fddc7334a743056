using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>
/// A worker's metric flush reaches the circuits watching the run through PostgreSQL's LISTEN / NOTIFY: the web host's
/// listener hears it and its feed calls the watchers, also after the listening connection was cut.
/// </summary>
public class RunChangePushTests : WebAppTest
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    private RunChangeFeed Feed => App.Services.GetRequiredService<RunChangeFeed>();
    private RunChangeListener Listener => App.Services.GetRequiredService<RunChangeListener>();

    private async Task WaitForSessionsAsync(int sessions)
    {
        var deadline = DateTime.UtcNow + Soon;
        while (Listener.Sessions < sessions)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The listener had {Listener.Sessions} session(s), not {sessions}, after {Soon}.");
            await Task.Delay(50);
        }
    }

    /// <summary>A running run in the database, as a worker holds it (tracked by the worker's own context).</summary>
    private async Task<(PreferenceStudioDbContext Db, TrainingRun Run)> RunningRunAsync()
    {
        var db = Database.CreateContext();
        var run = new TrainingRun(TrainingKind.RewardModel, new RewardRunConfig().ToJson(), "researcher");
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        run.Start("test-worker", totalSteps: 10, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        return (db, run);
    }

    private static TrainingStep Step(int step) =>
        new(step, 10, 0, new Dictionary<string, double> { ["loss"] = 1.0 / step, ["rewards/accuracies"] = 0.5 });

    /// <summary>Counts, at each call, the points of the run that a fresh connection can see.</summary>
    private sealed class PointCounter(Func<PreferenceStudioDbContext> database, long runId)
    {
        private readonly System.Threading.Channels.Channel<int> _seen = System.Threading.Channels.Channel.CreateUnbounded<int>();

        public async Task OnChangeAsync(long changedRun)
        {
            changedRun.ShouldBe(runId);
            await using var db = database();
            await _seen.Writer.WriteAsync(await db.RunMetrics.CountAsync(m => m.RunId == runId));
        }

        public async Task<int> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Soon);
            return await _seen.Reader.ReadAsync(timeout.Token);
        }
    }

    [Fact]
    public async Task MetricFlush_WatchedRun_ReachesTheWatcherWithThePointsAlreadyVisible()
    {
        await WaitForSessionsAsync(1);
        var (db, run) = await RunningRunAsync();
        await using var _ = db;
        var counter = new PointCounter(Database.CreateContext, run.Id);
        using var watch = Feed.Watch(run.Id, counter.OnChangeAsync);
        var writer = new RunMetricWriter(db, run, TimeProvider.System);
        writer.Report(Step(1));
        writer.Report(Step(2));

        (await writer.FlushAsync(CancellationToken.None)).ShouldBeTrue();

        // Two steps of two keys each: the notification came after the commit, so the watcher reads all four.
        (await counter.NextAsync()).ShouldBe(4);
    }

    [Fact]
    public async Task MetricFlush_OtherRun_DoesNotCallTheWatcher()
    {
        await WaitForSessionsAsync(1);
        var (db, watched) = await RunningRunAsync();
        await using var _ = db;
        var (otherDb, other) = await RunningRunAsync();
        await using var __ = otherDb;
        var calls = 0;
        using var watch = Feed.Watch(watched.Id, _ => { Interlocked.Increment(ref calls); return Task.CompletedTask; });
        var counter = new PointCounter(Database.CreateContext, other.Id);
        using var otherWatch = Feed.Watch(other.Id, counter.OnChangeAsync);
        var writer = new RunMetricWriter(otherDb, other, TimeProvider.System);
        writer.Report(Step(1));

        await writer.FlushAsync(CancellationToken.None);

        (await counter.NextAsync()).ShouldBe(2);
        calls.ShouldBe(0);
    }

    [Fact]
    public async Task Listener_ConnectionTerminated_ListensAgainAndStillPushesFlushes()
    {
        await WaitForSessionsAsync(1);
        var (db, run) = await RunningRunAsync();
        await using var _ = db;
        var counter = new PointCounter(Database.CreateContext, run.Id);
        using var watch = Feed.Watch(run.Id, counter.OnChangeAsync);

        await using (var admin = new NpgsqlConnection(Database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", admin);
            kill.Parameters.AddWithValue("name", RunChangeListener.ApplicationName);
            ((long)(await kill.ExecuteScalarAsync())!).ShouldBe(1);
        }
        await WaitForSessionsAsync(2);

        // What was announced while the connection was down is lost, so every watcher is told to re-read at once.
        (await counter.NextAsync()).ShouldBe(0);
        var writer = new RunMetricWriter(db, run, TimeProvider.System);
        writer.Report(Step(1));
        await writer.FlushAsync(CancellationToken.None);
        (await counter.NextAsync()).ShouldBe(2);
        await using var check = new NpgsqlConnection(Database.ConnectionString);
        await check.OpenAsync();
        await using var listeners = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", check);
        listeners.Parameters.AddWithValue("name", RunChangeListener.ApplicationName);
        ((long)(await listeners.ExecuteScalarAsync())!).ShouldBe(1);
    }
}
