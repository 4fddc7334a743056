using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Writes one requested dataset export to the store. The file appears whole or not at all (written aside, then
/// renamed), and a run recovered after its node died simply writes it again.
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
    public static readonly JobKey Key = new("dataset-export", JobGroups.OnDemand);
    public const string ExportIdKey = "exportId";

    public static long ExportId(IJobExecutionContext context) => OnDemandJobs.RecordId(context, ExportIdKey);

    protected override async Task<string?> RunAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var export = await Db.DatasetExports.FindAsync([ExportId(context)], cancellationToken)
            ?? throw new InvalidOperationException($"Export {ExportId(context)} does not exist.");
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

    protected override async Task OnFailedAsync(Exception error, IJobExecutionContext context)
    {
        if (await Db.DatasetExports.FindAsync(ExportId(context)) is { State: RunState.Queued or RunState.Running } export)
            export.Fail($"{error.GetType().Name}: {error.Message}", Clock.GetUtcNow());
    }
}
