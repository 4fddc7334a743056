using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Jobs.Export;

/// <summary>Records an export request and hands it to the job cluster; any worker node writes it.</summary>
public sealed class ExportLauncher(PreferenceStudioDbContext db, ISchedulerFactory schedulers, TimeProvider clock)
{
    public async Task<DatasetExport> LaunchAsync(int projectId, ExportFormat format, string requestedBy, CancellationToken cancellationToken)
    {
        var export = new DatasetExport(projectId, format, requestedBy);
        db.DatasetExports.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        if (await OnDemandJobs.TriggerAsync(schedulers, DatasetExportJob.Key, DatasetExportJob.ExportIdKey, export.Id, cancellationToken) is { } error)
        {
            export.Fail(error, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return export;
    }
}
