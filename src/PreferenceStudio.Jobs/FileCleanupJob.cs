using Hangfire;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs;

/// <summary>
/// Removes files nobody can reach any more (recurring, nightly): half-written <c>.part</c> files that a worker
/// killed mid-write left behind, and export files that no export record points to, once older than Jobs:FileRetention.
/// Files records point to (exports, run snapshots, model checkpoints) are the domain's and are never touched.
/// </summary>
public sealed class FileCleanupJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<FileCleanupJob> logger,
    IOptions<StorageOptions> storage,
    IOptions<JobsOptions> options,
    IHostEnvironment environment)
    : JobBase(db, clock, logger)
{
    public const string RecurringId = "clean-up-files";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task<string?> RunAsync(PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(RecurringId, context, () => CleanAsync(cancellationToken));

    private async Task<string?> CleanAsync(CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(storage.Value.Root, environment.ContentRootPath);
        if (!Directory.Exists(root))
            return "no store yet";
        var cutoff = (Clock.GetUtcNow() - options.Value.FileRetention).UtcDateTime;
        var removed = 0;

        foreach (var partial in Directory.EnumerateFiles(root, "*.part", SearchOption.AllDirectories))
            removed += DeleteIfOlder(partial, cutoff);

        var exports = storage.Value.ExportsFolder(environment.ContentRootPath);
        if (Directory.Exists(exports))
        {
            var referenced = (await Db.DatasetExports.AsNoTracking().Where(e => e.FilePath != null).Select(e => e.FilePath!).ToListAsync(cancellationToken))
                .Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(exports, "*.jsonl", SearchOption.AllDirectories))
                if (!referenced.Contains(Path.GetFullPath(file)))
                    removed += DeleteIfOlder(file, cutoff);
        }
        return $"removed {removed} file(s)";
    }

    private int DeleteIfOlder(string file, DateTime cutoffUtc)
    {
        if (File.GetLastWriteTimeUtc(file) >= cutoffUtc)
            return 0;
        File.Delete(file);
        Logger.LogInformation("Removed {File}", file);
        return 1;
    }
}
