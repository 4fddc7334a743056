using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs;
using PreferenceStudio.Web.Seeding;
using Microsoft.EntityFrameworkCore;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>The nightly clean-up, run by a worker: files nobody can reach go, files records point to stay.</summary>
public class FileCleanupTests : WebAppTest
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "ps-cleanup-" + Guid.NewGuid().ToString("N"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_store))
            Directory.Delete(_store, recursive: true);
    }

    private string File_(string relative, TimeSpan age)
    {
        var path = Path.Combine(_store, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{}\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    [Fact]
    public async Task FileCleanup_RunOnAWorker_RemovesOldOrphansAndKeepsWhatRecordsPointTo()
    {
        var old = TimeSpan.FromDays(30);
        var deadWorkersPart = File_("exports/1/7-TrlPreference.jsonl.part", old);
        var freshPart = File_("runs/9/dataset.jsonl.part", TimeSpan.FromMinutes(1));
        var orphanExport = File_("exports/1/5-TrlPreference.jsonl", old);
        var recordedExport = File_("exports/1/6-TrlPreference.jsonl", old);
        var snapshot = File_("runs/3/dataset.jsonl", old);
        await using (var db = Database.CreateContext())
        {
            var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
            var export = new DatasetExport(project.Id, ExportFormat.TrlPreference, "researcher");
            export.Start();
            export.Complete(recordedExport, 1, DateTimeOffset.UtcNow);
            db.DatasetExports.Add(export);
            await db.SaveChangesAsync();
        }
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);
        var storage = App.Services.GetRequiredService<JobStorage>();

        var job = App.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<FileCleanupJob>(JobQueues.Default, j => j.RunAsync(null, CancellationToken.None));

        await JobHistory.WaitForSuccessAsync(storage, job, TimeSpan.FromSeconds(45));
        File.Exists(deadWorkersPart).ShouldBeFalse();
        File.Exists(orphanExport).ShouldBeFalse();
        File.Exists(freshPart).ShouldBeTrue("a file being written now is not a leftover");
        File.Exists(recordedExport).ShouldBeTrue("an export record points to it");
        File.Exists(snapshot).ShouldBeTrue("run snapshots are the run's record");
        storage.GetMonitoringApi().JobDetails(job).History[0].Data["Result"].ShouldContain("removed 2 file(s)");
    }
}
