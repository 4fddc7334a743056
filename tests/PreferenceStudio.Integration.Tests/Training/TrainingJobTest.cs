using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>
/// A worker trains a run on the demo project's labels: a tiny Qwen2 base model in a store of the test's own, the
/// demo project's tasks to label, and waits that say where the run stands and what Hangfire did when they give up.
/// </summary>
public abstract class TrainingJobTest : WebAppTest
{
    protected override TimeSpan Patience => TimeSpan.FromSeconds(90);

    protected string Store { get; } = Path.Combine(Path.GetTempPath(), "ps-train-" + Guid.NewGuid().ToString("N"));
    protected JobStorage Storage => App.Services.GetRequiredService<JobStorage>();
    protected int ProjectId { get; private set; }
    protected int BaseModelId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        TinyCheckpoints.Create(Path.Combine(Store, "models", "base"), "qwen2");
        await using var db = Database.CreateContext();
        var baseModel = new ModelVersion("tiny base", ModelKind.Policy, "models/base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        BaseModelId = baseModel.Id;
        ProjectId = (await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug)).Id;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Store))
            Directory.Delete(Store, recursive: true);
    }

    protected async Task<List<AnnotationTask>> TasksAsync(TaskKind kind, int count)
    {
        await using var db = Database.CreateContext();
        var tasks = await db.Tasks.Where(t => t.ProjectId == ProjectId && t.Kind == kind).OrderBy(t => t.Id).Take(count).ToListAsync();
        tasks.Count.ShouldBe(count, $"the demo project has {count} {kind} tasks");
        return tasks;
    }

    protected static AnnotationContext Context(AnnotationTask task, string annotator) => DemoFeedback.Context(task, annotator);

    protected async Task<string> AnnotatorAsync(string email = "annotator@demo.local")
    {
        await using var db = Database.CreateContext();
        return (await db.Users.SingleAsync(u => u.Email == email)).Id;
    }

    protected async Task<TrainingRun> LaunchedAsync(Func<TrainingLauncher, Task<(TrainingRun? Run, IReadOnlyList<string> Errors)>> launch)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var (run, errors) = await launch(scope.ServiceProvider.GetRequiredService<TrainingLauncher>());
        errors.ShouldBeEmpty();
        return run!;
    }

    protected Task<TrainingRun> WaitForEndAsync(long id, TimeSpan? patience = null) =>
        WaitForRunAsync(id, r => r.State == RunState.Succeeded || r.State == RunState.Failed, $"run {id} finished", patience);

    protected Task<TrainingRun> WaitForRunAsync(long id, Expression<Func<TrainingRun, bool>> condition, string what, TimeSpan? patience = null) =>
        WaitForAsync(db => db.TrainingRuns.AsNoTracking().Where(r => r.Id == id).Where(condition).FirstOrDefaultAsync(), what,
            () => DescribeRunAsync(id), patience);

    /// <summary>Where the run stands and its job's Hangfire history: a job that failed before its own code ran leaves the run as it was.</summary>
    private async Task<string> DescribeRunAsync(long id)
    {
        await using var db = Database.CreateContext();
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id);
        var job = run.JobId is null ? "  (no job)" : JobHistory.Describe(Storage, run.JobId);
        return $"Run {id} is {run.State} at step {run.Step} of {run.TotalSteps} on {run.Node ?? "no node"}{(run.Error is null ? "" : $", error: {run.Error}")}; its job's history:\n{job}";
    }

    /// <summary>
    /// A worker process is killed just past the run's first checkpoint; another node takes the run over and finishes it
    /// from that checkpoint, each step recorded once. Returns the finished run.
    /// </summary>
    protected async Task<TrainingRun> KillMidRunAndResumeAsync(Func<TrainingLauncher, Task<(TrainingRun? Run, IReadOnlyList<string> Errors)>> launch, int saveSteps)
    {
        using var doomed = WorkerProcess.Start(Database.ConnectionString, storageRoot: Store);
        var launched = await LaunchedAsync(launch);
        var started = await WaitForRunAsync(launched.Id, r => r.Step > saveSteps, "a step past the first checkpoint on the doomed node", TimeSpan.FromMinutes(3));
        doomed.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        await using var survivor = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: Store);
        var run = await WaitForEndAsync(launched.Id, TimeSpan.FromMinutes(8));

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        started.Node.ShouldNotBe(survivor.InstanceId);
        run.Node.ShouldBe(survivor.InstanceId);
        await using var db = Database.CreateContext();
        var losses = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Key == "loss").OrderBy(m => m.Step).ToListAsync();
        losses.Select(m => m.Step).ShouldBe(Enumerable.Range(1, run.TotalSteps));
        // Resumed, not started over: the steps up to the checkpoint are the dead worker's, recorded before the kill.
        losses.Where(m => m.Step <= saveSteps).ShouldAllBe(m => m.RecordedAt < killedAt);
        (await db.ModelVersions.CountAsync(m => m.TrainingRunId == run.Id)).ShouldBe(1);
        Directory.Exists(Path.Combine(Store, "runs", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "checkpoints"))
            .ShouldBeFalse("a finished run's checkpoints are removed");
        return run;
    }
}
