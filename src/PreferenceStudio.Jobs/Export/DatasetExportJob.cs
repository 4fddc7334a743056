using Hangfire.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Writes one requested dataset export to the store. The file appears whole or not at all (written aside, then
/// renamed), and a job taken over from a dead worker simply writes it again.
/// </summary>
public sealed class DatasetExportJob(
    PreferenceStudioDbContext db,
    TimeProvider clock,
    ILogger<DatasetExportJob> logger,
    IEnumerable<IDatasetFormat> formats,
    IOptions<StorageOptions> storage,
    IHostEnvironment environment)
    : JobBase(db, clock, logger)
{
    public const string Name = "dataset-export";

    public Task<string?> RunAsync(long exportId, PerformContext? context, CancellationToken cancellationToken) =>
        RunAsync(Name, context, () => WriteAsync(exportId, cancellationToken), async reason =>
        {
            if (await Db.DatasetExports.FindAsync(exportId) is { State: RunState.Queued or RunState.Running } export)
                export.Fail(reason, Clock.GetUtcNow());
        });

    private async Task<string?> WriteAsync(long exportId, CancellationToken cancellationToken)
    {
        var export = await Db.DatasetExports.FindAsync([exportId], cancellationToken)
            ?? throw new InvalidOperationException($"Export {exportId} does not exist.");
        if (export.State == RunState.Succeeded)
            return $"export {export.Id} was already written";
        var format = formats.SingleOrDefault(f => f.Format == export.Format)
            ?? throw new NotSupportedException($"No writer for the {export.Format} format.");
        export.Start();
        await Db.SaveChangesAsync(cancellationToken);

        var folder = Path.Combine(storage.Value.ExportsFolder(environment.ContentRootPath), export.ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"{export.Id}-{export.Format}.jsonl");
        var rows = await DatasetWriter.WriteFileAsync(format, Db, export.ProjectId, file, cancellationToken);

        export.Complete(file, rows, Clock.GetUtcNow());
        await Db.SaveChangesAsync(cancellationToken);
        return $"export {export.Id}: {rows} rows of {export.Format}";
    }
}
