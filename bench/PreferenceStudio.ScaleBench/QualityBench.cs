using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PreferenceStudio.Data;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Quality;

namespace PreferenceStudio.ScaleBench;

/// <summary>
/// The quality page at scale: its figures computed in PostgreSQL (what a refresh costs), then the page's view of them
/// as a reader gets it, from the stored snapshot (what a view costs), each timed on the seeded project.
/// </summary>
internal static class QualityBench
{
    public static async Task RunAsync(string connection, int views)
    {
        int projectId;
        await using (var db = TestDatabase.CreateContext(connection))
            projectId = await db.Projects.Where(p => p.Slug == SeedCommand.Slug).Select(p => p.Id).SingleAsync();
        await using var services = new ServiceCollection()
            .AddDbContext<PreferenceStudioDbContext>(o => o.UsePreferenceStudioDatabase(connection))
            .AddSingleton(TimeProvider.System)
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug)
                .AddFilter("Microsoft", LogLevel.Warning))
            .AddSingleton<QualitySnapshots>()
            .BuildServiceProvider();
        var snapshots = services.GetRequiredService<QualitySnapshots>();

        var clock = Stopwatch.StartNew();
        var computed = await snapshots.Refresh(projectId);
        var refresh = clock.Elapsed;
        var pairwise = computed.Figures.Kinds.Single(k => k.Kind == "Pairwise");
        Console.WriteLine($"refresh (compute in SQL and store): {refresh.TotalMilliseconds:0} ms; pairwise labels {pairwise.Labels:N0}, " +
                          $"units labelled twice {pairwise.UnitsLabelledTwice:N0}, alpha {pairwise.Alpha:0.000000}, annotators {computed.Figures.Annotators.Count}");

        var times = new List<double>();
        for (var i = 0; i < views; i++)
        {
            clock.Restart();
            var view = await snapshots.ViewAsync(projectId, CancellationToken.None);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (view.Figures is null || view.Refreshing is not null)
                throw new InvalidOperationException("The view did not come from a fresh snapshot.");
        }
        times.Sort();
        Console.WriteLine($"page view from the snapshot, {views} views: p50 {times[times.Count / 2]:0.0} ms, max {times[^1]:0.0} ms (first {times.Count} incl. warm-up)");
    }
}
