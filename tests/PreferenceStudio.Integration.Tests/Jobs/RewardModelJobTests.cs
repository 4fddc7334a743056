using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using static TorchSharp.torch;
using PreferenceStudio.Training;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>Labels in the database become a reward model or a DPO policy on a worker: snapshot, training, metric series, model version.</summary>
public class RewardModelJobTests : WebAppTest
{
    protected override TimeSpan Patience => TimeSpan.FromSeconds(90);

    private readonly string _store = Path.Combine(Path.GetTempPath(), "ps-reward-" + Guid.NewGuid().ToString("N"));
    private JobStorage Storage => App.Services.GetRequiredService<JobStorage>();
    private int _projectId;
    private int _baseModelId;

    private static readonly RewardRunConfig Quick = new()
    {
        Trainer = new RewardConfig { LearningRate = 1e-3, BatchSize = 2, Epochs = 3, MaxLength = 256, Seed = 7 },
        EvalShare = 0.2,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        TinyCheckpoints.Create(Path.Combine(_store, "models", "base"), "qwen2");
        await using var db = Database.CreateContext();
        var baseModel = new ModelVersion("tiny base", ModelKind.Policy, "models/base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        _baseModelId = baseModel.Id;
        _projectId = (await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug)).Id;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_store))
            Directory.Delete(_store, recursive: true);
    }

    /// <summary>Two pairwise labels and a ranking of three: five ordered pairs in the TRL export.</summary>
    private async Task LabelAsync()
    {
        await using var db = Database.CreateContext();
        var ann1 = (await db.Users.SingleAsync(u => u.Email == "annotator@demo.local")).Id;
        var ann2 = (await db.Users.SingleAsync(u => u.Email == "annotator2@demo.local")).Id;
        var tasks = await db.Tasks.Where(t => t.ProjectId == _projectId).OrderBy(t => t.Id).ToListAsync();
        var pairwise = tasks.First(t => t.Kind == TaskKind.Pairwise);
        var ranking = tasks.First(t => t.Kind == TaskKind.Ranking);
        var (a, b) = (pairwise.Responses[0].ResponseId, pairwise.Responses[1].ResponseId);
        var r = ranking.Responses.Select(x => x.ResponseId).ToList();
        AnnotationContext Context(AnnotationTask task, string who, params int[] shown) =>
            new(task.Id, who, null, Guid.NewGuid(), TimeSpan.FromSeconds(10), shown, null, DateTimeOffset.UtcNow);
        db.Annotations.AddRange(
            new PairwiseAnnotation(Context(pairwise, ann1, a, b), a, b, PairwisePreference.AMuchBetter, bothBad: false),
            new PairwiseAnnotation(Context(pairwise, ann2, a, b), a, b, PairwisePreference.ABetter, bothBad: false),
            new RankingAnnotation(Context(ranking, ann1, [.. r]), [new(r[0], 1), new(r[1], 2), new(r[2], 3)], tiesAllowed: false));
        await db.SaveChangesAsync();
    }

    private async Task<TrainingRun> LaunchAsync(RewardRunConfig config)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var (run, errors) = await scope.ServiceProvider.GetRequiredService<TrainingLauncher>()
            .LaunchRewardModelAsync(_projectId, _baseModelId, config, "researcher", CancellationToken.None);
        errors.ShouldBeEmpty();
        return run!;
    }

    private Task<TrainingRun> WaitForRunAsync(long id, RunState[] states, TimeSpan? patience = null) =>
        WaitForRunAsync(id, r => states.Contains(r.State), $"run {id} in {string.Join("/", states)}", patience);

    private Task<TrainingRun> WaitForRunAsync(long id, Expression<Func<TrainingRun, bool>> condition, string what, TimeSpan? patience = null) =>
        WaitForAsync(db => db.TrainingRuns.AsNoTracking().Where(r => r.Id == id).Where(condition).FirstOrDefaultAsync(), what,
            () => DescribeRunAsync(id), patience);

    /// <summary>
    /// Where the run stands and its job's Hangfire history: a job that failed before its own code ran (activating it,
    /// say) leaves the run as it was, and only Hangfire knows why.
    /// </summary>
    private async Task<string> DescribeRunAsync(long id)
    {
        await using var db = Database.CreateContext();
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id);
        var job = run.JobId is null ? "  (no job)" : JobHistory.Describe(Storage, run.JobId);
        return $"Run {id} is {run.State} at step {run.Step} of {run.TotalSteps} on {run.Node ?? "no node"}{(run.Error is null ? "" : $", error: {run.Error}")}; its job's history:\n{job}";
    }

    [Fact]
    public async Task LaunchDpo_WorkerRunning_TrainsThePolicyWithTrlMetricsAndRegistersItAsAChildOfTheBase()
    {
        await LabelAsync();
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);
        var config = new DpoRunConfig { Trainer = new DpoConfig { BatchSize = 2, Epochs = 3, MaxLength = 256, Seed = 7 }, EvalShare = 0.2 };

        TrainingRun launched;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var (queued, errors) = await scope.ServiceProvider.GetRequiredService<TrainingLauncher>()
                .LaunchDpoAsync(_projectId, _baseModelId, config, "researcher", CancellationToken.None);
            errors.ShouldBeEmpty();
            launched = queued!;
        }
        var run = await WaitForRunAsync(launched.Id, [RunState.Succeeded, RunState.Failed]);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Kind.ShouldBe(TrainingKind.Dpo);
        run.TotalSteps.ShouldBe(3 * 2);  // 4 training pairs (one of five held out), 2 a step, 3 epochs
        await using var db = Database.CreateContext();
        var keys = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Step == 1).Select(m => m.Key).ToListAsync();
        foreach (var key in new[] { "loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen", "logps/rejected" })
            keys.ShouldContain(key);
        // The first step's policy is the reference itself: every implicit reward is 0 and the loss is log 2.
        (await db.RunMetrics.SingleAsync(m => m.RunId == run.Id && m.Step == 1 && m.Key == "loss")).Value.ShouldBe(Math.Log(2), 1e-4);
        (await db.RunMetrics.AnyAsync(m => m.RunId == run.Id && m.Key == "eval_rewards/margins")).ShouldBeTrue();

        var version = await db.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        (version.Kind, version.ParentId, version.TrainingRunId).ShouldBe((ModelKind.Policy, _baseModelId, run.Id));
        (version.Origin, version.ReferenceModelId, version.LabelsSeen).ShouldBe((ModelOrigin.DpoRun, _baseModelId, 3));
        using var policy = CausalLM.FromPretrained(Path.Combine(_store, version.CheckpointPath));
        File.Exists(Path.Combine(_store, version.CheckpointPath, "tokenizer.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task LaunchDpo_BaseIsARewardModel_NamesTheFieldAndQueuesNothing()
    {
        await using var db = Database.CreateContext();
        var reward = new ModelVersion("a reward model", ModelKind.Reward, "models/reward");
        db.ModelVersions.Add(reward);
        await db.SaveChangesAsync();

        await using var scope = App.Services.CreateAsyncScope();
        var (run, errors) = await scope.ServiceProvider.GetRequiredService<TrainingLauncher>()
            .LaunchDpoAsync(_projectId, reward.Id, new DpoRunConfig { Trainer = new DpoConfig { Beta = 0 } }, "researcher", CancellationToken.None);

        run.ShouldBeNull();
        errors.ShouldContain(e => e.StartsWith("base_model: ", StringComparison.Ordinal) && e.Contains("Reward"));
        errors.ShouldContain(e => e.StartsWith("beta", StringComparison.Ordinal));
        (await db.TrainingRuns.AnyAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task LaunchRewardModel_WorkerRunning_TrainsRecordsEveryStepAndRegistersTheModel()
    {
        await LabelAsync();
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);

        var launched = await LaunchAsync(Quick);
        var run = await WaitForRunAsync(launched.Id, [RunState.Succeeded, RunState.Failed]);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Node.ShouldBe(worker.InstanceId);
        run.TotalSteps.ShouldBe(3 * 2);  // 4 training pairs (one of five held out), 2 a step, 3 epochs
        run.Step.ShouldBe(run.TotalSteps);
        await using var db = Database.CreateContext();
        var losses = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Key == "loss").OrderBy(m => m.Step).Select(m => m.Step).ToListAsync();
        losses.ShouldBe([1, 2, 3, 4, 5, 6]);
        var eval = await db.RunMetrics.SingleAsync(m => m.RunId == run.Id && m.Key == "eval_rewards/accuracies");
        eval.Step.ShouldBe(run.TotalSteps);
        (await File.ReadAllLinesAsync(Path.Combine(_store, "runs", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "dataset.jsonl"))).Length.ShouldBe(5);

        var version = await db.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        version.Kind.ShouldBe(ModelKind.Reward);
        version.ParentId.ShouldBe(_baseModelId);
        version.TrainingRunId.ShouldBe(run.Id);
        version.Origin.ShouldBe(ModelOrigin.RewardRun);
        version.LabelsSeen.ShouldBe(3);
        version.NewestLabelAt.ShouldBe(await db.Annotations.MaxAsync(a => a.CreatedAt));
        version.MetricsJson.ShouldContain("eval_rewards/accuracies");
        using var model = RewardModel.FromPretrained(Path.Combine(_store, version.CheckpointPath));
        File.Exists(Path.Combine(_store, version.CheckpointPath, "tokenizer.json")).ShouldBeTrue();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.Rewards(tensor(new[] { 5L, 6, 7 }, [1, 3]), tensor(new[] { 1L, 1, 1 }, [1, 3])).shape.ShouldBe([1L]);
    }

    [Fact]
    public async Task LaunchRewardModel_ProjectWithoutPreferences_RunFailsSayingWhatIsMissing()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);

        var launched = await LaunchAsync(Quick);
        var run = await WaitForRunAsync(launched.Id, [RunState.Succeeded, RunState.Failed]);

        run.State.ShouldBe(RunState.Failed);
        run.Error!.ShouldContain("needs at least 2");
        // Deterministic: failed once in Hangfire too, never retried.
        (await JobHistory.WaitForStateAsync(Storage, run.JobId!, ["Failed"], TimeSpan.FromSeconds(30))).ShouldBe("Failed");
        JobHistory.ProcessedBy(Storage, run.JobId!).ShouldHaveSingleItem().ShouldStartWith(worker.InstanceId);
        await using var db = Database.CreateContext();
        (await db.ModelVersions.CountAsync()).ShouldBe(1);
        // The reason is on the run's page, not only in a log or the dashboard.
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await (await SignedInAsync("Researcher")).PageAsync($"/training/{run.Id}"));
        page.QuerySelector("[data-testid=run-error]").ShouldNotBeNull().TextContent.ShouldContain("needs at least 2");
    }

    [Fact]
    public async Task CancelAsync_RunningRun_WorkerStopsBeforeTheEnd()
    {
        await LabelAsync();
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);
        var launched = await LaunchAsync(Quick with { Trainer = Quick.Trainer with { Epochs = 5000 } });
        await WaitForAsync(db => db.TrainingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == launched.Id && r.Step > 0), "a step of the run");

        await using (var scope = App.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<TrainingLauncher>().CancelAsync(launched.Id, CancellationToken.None)).ShouldBeTrue();

        // The job is deleted in Hangfire, and its token stops the trainer within seconds: the step count stands still.
        JobHistory.CurrentState(Storage, launched.JobId!).ShouldBe("Deleted");
        await Task.Delay(TimeSpan.FromSeconds(5));
        int StepNow() { using var db = Database.CreateContext(); return db.TrainingRuns.AsNoTracking().Single(r => r.Id == launched.Id).Step; }
        var stoppedAt = StepNow();
        await Task.Delay(TimeSpan.FromSeconds(3));
        StepNow().ShouldBe(stoppedAt, "the worker must have stopped training");
        await using var read = Database.CreateContext();
        var run = await read.TrainingRuns.SingleAsync(r => r.Id == launched.Id);
        run.State.ShouldBe(RunState.Cancelled);
        run.Step.ShouldBeLessThan(run.TotalSteps);
        run.OutputModelVersionId.ShouldBeNull();
        (await read.RunMetrics.CountAsync(m => m.RunId == run.Id && m.Key == "loss")).ShouldBe(run.Step);
    }

    [Fact]
    public async Task RewardModelRun_WorkerProcessKilledMidRun_AnotherNodeResumesFromTheCheckpointWithEachStepRecordedOnce()
    {
        await LabelAsync();
        using var doomed = WorkerProcess.Start(Database.ConnectionString, storageRoot: _store);
        // Long enough that the doomed node is still training when it is killed, just past its first checkpoint.
        const int saveSteps = 2;
        var launched = await LaunchAsync(Quick with { Trainer = Quick.Trainer with { Epochs = 50 }, SaveSteps = saveSteps });
        // Generous too: the doomed node is a fresh process that loads libtorch and the base model before its first step.
        var started = await WaitForRunAsync(launched.Id, r => r.Step > saveSteps, "a step past the first checkpoint on the doomed node", TimeSpan.FromMinutes(3));
        doomed.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        await using var survivor = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);
        // Generous: ./test runs the test projects side by side on two cores, so steps can be several times slower (seen:
        // 3 s a step at load average 20, where a quiet machine takes a tenth of that).
        var run = await WaitForRunAsync(launched.Id, [RunState.Succeeded, RunState.Failed], TimeSpan.FromMinutes(8));

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        started.Node.ShouldNotBe(survivor.InstanceId);
        run.Node.ShouldBe(survivor.InstanceId);
        await using var db = Database.CreateContext();
        var losses = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Key == "loss").OrderBy(m => m.Step).ToListAsync();
        losses.Select(m => m.Step).ShouldBe(Enumerable.Range(1, run.TotalSteps));
        // Resumed, not started over: the steps up to the checkpoint are the dead worker's, recorded before the kill.
        losses.Where(m => m.Step <= saveSteps).ShouldAllBe(m => m.RecordedAt < killedAt);
        (await db.ModelVersions.CountAsync(m => m.TrainingRunId == run.Id)).ShouldBe(1);
        Directory.Exists(Path.Combine(_store, "runs", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "checkpoints"))
            .ShouldBeFalse("a finished run's checkpoints are removed");
    }

    [Fact]
    public async Task LaunchRewardModel_OnlyADefaultQueueWorker_WaitsForAWorkerThatListensToTraining()
    {
        await using var cpuOnly = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store, queues: "default");
        var launched = await LaunchAsync(Quick);

        await Task.Delay(TimeSpan.FromSeconds(5));
        JobHistory.CurrentState(Storage, launched.JobId!).ShouldBe("Enqueued");
        await using (var db = Database.CreateContext())
            (await db.TrainingRuns.SingleAsync(r => r.Id == launched.Id)).State.ShouldBe(RunState.Queued);

        await using var gpu = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store, queues: "training");
        var run = await WaitForRunAsync(launched.Id, [RunState.Succeeded, RunState.Failed]);
        // No labels, so the run fails at once; what matters is who took it.
        JobHistory.ProcessedBy(Storage, launched.JobId!).ShouldHaveSingleItem().ShouldStartWith(gpu.InstanceId);
        run.Error!.ShouldContain("needs at least 2");
    }
}
