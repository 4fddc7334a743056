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
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            await scheduler.TriggerJob(DatasetExportJob.Key,
                new JobDataMap { [DatasetExportJob.ExportIdKey] = export.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                cancellationToken);
        }
        catch (Exception ex) when (ex is SchedulerException or InvalidOperationException)
        {
            // A request that never reaches the cluster must not wait for ever as "queued".
            export.Fail($"Could not be scheduled: {ex.Message}", clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return export;
    }
}
