using Hangfire;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>Records an export request and enqueues its job on the default queue; any worker writes it.</summary>
public sealed class ExportLauncher(PreferenceStudioDbContext db, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task<DatasetExport> LaunchAsync(int projectId, ExportFormat format, string requestedBy, CancellationToken cancellationToken)
    {
        var export = new DatasetExport(projectId, format, requestedBy);
        db.DatasetExports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        var (_, error) = OnDemandJobs.TryEnqueue(() =>
            jobs.Enqueue<DatasetExportJob>(JobQueues.Default, j => j.RunAsync(export.Id, null, CancellationToken.None)));
        if (error is not null)
        {
            export.Fail(error, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return export;
    }
}
