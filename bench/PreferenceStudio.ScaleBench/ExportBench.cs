using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Testing;

namespace PreferenceStudio.ScaleBench;

/// <summary>
/// The TRL preference export of one seeded project beside PostgreSQL's COPY (SELECT ...) TO STDOUT of the rows that
/// become its pairs, in one run: rows/s of each, their ratio, and the process's working set (sampled every 20 ms)
/// while each runs. The export writes a real file through <see cref="DatasetWriter"/>, as the export job does.
/// </summary>
internal static class ExportBench
{
    public static async Task RunAsync(string connection, string slug)
    {
        int projectId;
        await using (var db = TestDatabase.CreateContext(connection))
            projectId = await db.Projects.Where(p => p.Slug == slug).Select(p => p.Id).SingleAsync();
        var file = Path.Combine(Path.GetTempPath(), $"ps-scale-export-{Guid.NewGuid():N}.jsonl");
        try
        {
            var (copyRows, copyBytes, copyTime, copyPeak) = await MeasureAsync(() => CopyAsync(connection, projectId));
            var (exportRows, _, exportTime, exportPeak) = await MeasureAsync(async () =>
            {
                await using var db = TestDatabase.CreateContext(connection);
                var rows = await DatasetWriter.WriteFileAsync(new TrlPreferenceFormat(), db, projectId, file, CancellationToken.None);
                return (rows, new FileInfo(file).Length);
            });
            var copyRate = copyRows / copyTime.TotalSeconds;
            var exportRate = exportRows / exportTime.TotalSeconds;
            Console.WriteLine($"Project '{slug}' ({projectId}):");
            Console.WriteLine("| path | rows | seconds | rows/s | MB out | peak working set (MB) |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            Console.WriteLine($"| COPY (SELECT ...) TO STDOUT, text | {copyRows:N0} | {copyTime.TotalSeconds:0.0} | {copyRate:N0} | {copyBytes / 1e6:0} | {copyPeak / 1e6:0} |");
            Console.WriteLine($"| TRL export to file | {exportRows:N0} | {exportTime.TotalSeconds:0.0} | {exportRate:N0} | {new FileInfo(file).Length / 1e6:0} | {exportPeak / 1e6:0} |");
            Console.WriteLine($"export / COPY rows/s: {exportRate / copyRate:0.00}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The same labels the export reads, the ones that make a pair, in label order, as COPY's text rows.</summary>
    private static async Task<(long Rows, long Bytes)> CopyAsync(string connection, int projectId)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        var select = PairwiseRows.Select.Replace("$1", projectId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("ORDER BY", "AND p.preference <> 0 AND NOT p.both_bad ORDER BY", StringComparison.Ordinal);
        using var reader = await c.BeginTextExportAsync($"COPY ({select}) TO STDOUT");
        long rows = 0, bytes = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            rows++;
            bytes += line.Length + 1;
        }
        return (rows, bytes);
    }

    private static async Task<(long Rows, long Bytes, TimeSpan Time, long PeakWorkingSet)> MeasureAsync(Func<Task<(long, long)>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long peak = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        var clock = Stopwatch.StartNew();
        var (rows, bytes) = await run();
        clock.Stop();
        await stop.CancelAsync();
        await sampler;
        return (rows, bytes, clock.Elapsed, peak);
    }
}
