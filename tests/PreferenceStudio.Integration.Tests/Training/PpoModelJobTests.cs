using System.Globalization;
using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>A PPO run on a worker: the project's prompts, a registered reward model's scores, the trained policy registered with its lineage.</summary>
public class PpoModelJobTests : WebAppTest
{
    protected override TimeSpan Patience => TimeSpan.FromMinutes(2);

    private readonly string _store = Path.Combine(Path.GetTempPath(), "ps-ppo-" + Guid.NewGuid().ToString("N"));
    private JobStorage Storage => App.Services.GetRequiredService<JobStorage>();
    private int _projectId;
    private int _baseModelId;
    private int _rewardModelId;
    private DateTimeOffset _rewardNewestLabel;

    /// <summary>Two iterations of four answers of at most 8 tokens: seconds on the tiny model.</summary>
    private PpoRunConfig Quick => new()
    {
        Trainer = new PpoConfig
        {
            LearningRate = 1e-3, BatchSize = 4, MiniBatchSize = 2, NumPpoEpochs = 1, TotalEpisodes = 8, MaxNewTokens = 8, Temperature = 1.0, Seed = 7,
        },
        Reward = new PpoRewardSection { RewardModelId = _rewardModelId },
        EvalShare = 0.25,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var baseFolder = Path.Combine(_store, "models", "base");
        TinyCheckpoints.Create(baseFolder, "qwen2");
        // A reward model as a reward run leaves it the base's backbone, a (seeded) head, the base's tokenizer beside them.
        var rewardFolder = Path.Combine(_store, "models", "reward");
        TorchSharp.torch.manual_seed(3);
        using (var reward = RewardModel.OnTopOf(CausalLM.FromPretrained(baseFolder)))
            reward.SavePretrained(rewardFolder);
        File.Copy(Path.Combine(baseFolder, "tokenizer.json"), Path.Combine(rewardFolder, "tokenizer.json"));
        await using var db = Database.CreateContext();
        var baseModel = new ModelVersion("tiny base", ModelKind.Policy, "models/base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        _rewardNewestLabel = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
        // Registered as its reward run registers it, the run itself not run: the file above stands for its output.
        var rewardRun = new TrainingRun(TrainingKind.RewardModel, new RewardRunConfig().ToJson(), "researcher", _projectId = (await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug)).Id, baseModel.Id);
        db.TrainingRuns.Add(rewardRun);
        await db.SaveChangesAsync();
        var rewardModel = new ModelVersion("tiny reward", ModelKind.Reward, "models/reward", baseModel.Id, rewardRun.Id, ModelOrigin.RewardRun);
        rewardModel.RecordLabelsSeen(3, _rewardNewestLabel);
        db.ModelVersions.Add(rewardModel);
        await db.SaveChangesAsync();
        (_baseModelId, _rewardModelId) = (baseModel.Id, rewardModel.Id);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_store))
            Directory.Delete(_store, recursive: true);
    }

    private async Task<(TrainingRun? Run, IReadOnlyList<string> Errors)> TryLaunchAsync(PpoRunConfig config, int? baseModelId = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TrainingLauncher>()
            .LaunchPpoAsync(_projectId, baseModelId ?? _baseModelId, config, "researcher", CancellationToken.None);
    }

    private async Task<TrainingRun> LaunchAsync(PpoRunConfig config)
    {
        var (run, errors) = await TryLaunchAsync(config);
        errors.ShouldBeEmpty();
        return run!;
    }

    private Task<TrainingRun> WaitForRunAsync(long id, Expression<Func<TrainingRun, bool>> condition, string what, TimeSpan? patience = null) =>
        WaitForAsync(db => db.TrainingRuns.AsNoTracking().Where(r => r.Id == id).Where(condition).FirstOrDefaultAsync(), what,
            () => DescribeRunAsync(id), patience);

    private Task<TrainingRun> WaitForEndAsync(long id, TimeSpan? patience = null) =>
        WaitForRunAsync(id, r => r.State == RunState.Succeeded || r.State == RunState.Failed || r.State == RunState.Cancelled, $"run {id} to end", patience);

    private async Task<string> DescribeRunAsync(long id)
    {
        await using var db = Database.CreateContext();
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id);
        var job = run.JobId is null ? "  (no job)" : JobHistory.Describe(Storage, run.JobId);
        return $"Run {id} is {run.State} at step {run.Step} of {run.TotalSteps}{(run.Error is null ? "" : $", error: {run.Error}")}; its job's history:\n{job}";
    }

    [Fact]
    public async Task LaunchPpo_RegisteredRewardModel_TrainsWithTrlMetricsAndRegistersThePolicyWithItsLineage()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);

        var launched = await LaunchAsync(Quick);
        var run = await WaitForEndAsync(launched.Id);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Kind.ShouldBe(TrainingKind.Ppo);
        run.TotalSteps.ShouldBe(2);  // 8 episodes, 4 a rollout batch
        await using var db = Database.CreateContext();
        var keys = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Step == 1).Select(m => m.Key).ToListAsync();
        foreach (var key in new[] { "objective/kl", "objective/scores", "objective/rlhf_reward", "policy/approxkl_avg", "policy/clipfrac_avg",
                     "loss/policy_avg", "loss/value_avg", "val/ratio", PpoRewardMix.SourceScorePrefix + "reward_model" })
            keys.ShouldContain(key);
        // One source of weight 1 and no score shaping: its share is the whole score.
        var scores = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Step == 1 && m.Key.StartsWith("objective/scores")).ToDictionaryAsync(m => m.Key, m => m.Value);
        scores.Count.ShouldBe(2);
        scores[PpoRewardMix.SourceScorePrefix + "reward_model"].ShouldBe(scores["objective/scores"], 1e-4);
        // The first rollout is sampled by the reference itself: the k1 KL of every token is 0.
        (await db.RunMetrics.SingleAsync(m => m.RunId == run.Id && m.Step == 1 && m.Key == "objective/kl")).Value.ShouldBe(0, 1e-4);
        foreach (var key in new[] { PpoModelJob.HeldOutScore, PpoModelJob.HeldOutReferenceScore, PpoModelJob.HeldOutKl })
            (await db.RunMetrics.AnyAsync(m => m.RunId == run.Id && m.Key == key)).ShouldBeTrue(key);
        (await File.ReadAllLinesAsync(Path.Combine(_store, "runs", run.Id.ToString(CultureInfo.InvariantCulture), "dataset.jsonl")))
            .Length.ShouldBe(await db.Prompts.CountAsync(p => p.ProjectId == _projectId));

        var version = await db.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        (version.Kind, version.Origin, version.ParentId, version.ReferenceModelId, version.TrainingRunId)
            .ShouldBe((ModelKind.Policy, ModelOrigin.PpoRun, _baseModelId, _baseModelId, run.Id));
        // The labels behind the reward it learned from.
        (version.LabelsSeen, version.NewestLabelAt).ShouldBe((3, _rewardNewestLabel));
        version.MetricsJson.ShouldContain(PpoModelJob.HeldOutScore);
        File.Exists(Path.Combine(_store, version.CheckpointPath, "tokenizer.json")).ShouldBeTrue();
        using var policy = CausalLM.FromPretrained(Path.Combine(_store, version.CheckpointPath));
    }

    [Fact]
    public async Task LaunchPpo_RewardModelIdIsAPolicy_NamesTheFieldAndQueuesNothing()
    {
        var (run, errors) = await TryLaunchAsync(Quick with
        {
            Reward = new PpoRewardSection { RewardModelId = _baseModelId, RewardModelWeight = double.NaN },
            Trainer = Quick.Trainer with { MiniBatchSize = 3 },
        });

        run.ShouldBeNull();
        errors.ShouldContain(e => e.StartsWith("reward.reward_model_id: ", StringComparison.Ordinal) && e.Contains("Policy"));
        errors.ShouldContain(e => e.StartsWith("reward.reward_model_weight", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("batch_size must be a multiple of mini_batch_size", StringComparison.Ordinal));
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.AnyAsync(r => r.Kind == TrainingKind.Ppo)).ShouldBeFalse();
    }

    [Fact]
    public async Task LaunchPpo_NoRewardSourceOrAMissingModel_NamesTheFields()
    {
        var (_, none) = await TryLaunchAsync(Quick with { Reward = new PpoRewardSection() });
        none.ShouldHaveSingleItem().ShouldStartWith("reward: name at least one reward source");

        var (_, missing) = await TryLaunchAsync(Quick with { Reward = new PpoRewardSection { RewardModelId = _rewardModelId, SpanModelId = 999_999 } });
        missing.ShouldHaveSingleItem().ShouldBe("reward.span_model_id: there is no model version 999999");
    }

    [Fact]
    public async Task CancelAsync_RunningPpoRun_WorkerStopsBeforeTheEnd()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);
        var launched = await LaunchAsync(Quick with { Trainer = Quick.Trainer with { TotalEpisodes = 4000 } });
        await WaitForRunAsync(launched.Id, r => r.Step > 0, "an iteration of the run");

        await using (var scope = App.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<TrainingLauncher>().CancelAsync(launched.Id, CancellationToken.None)).ShouldBeTrue();

        JobHistory.CurrentState(Storage, launched.JobId!).ShouldBe("Deleted");
        await Task.Delay(TimeSpan.FromSeconds(5));
        int StepNow() { using var db = Database.CreateContext(); return db.TrainingRuns.AsNoTracking().Single(r => r.Id == launched.Id).Step; }
        var stoppedAt = StepNow();
        await Task.Delay(TimeSpan.FromSeconds(3));
        StepNow().ShouldBe(stoppedAt, "the worker must have stopped training");
        await using var read = Database.CreateContext();
        var run = await read.TrainingRuns.SingleAsync(r => r.Id == launched.Id);
        (run.State, run.OutputModelVersionId).ShouldBe((RunState.Cancelled, null));
        run.Step.ShouldBeLessThan(run.TotalSteps);
    }

    [Fact]
    public async Task PpoRun_WorkerProcessKilledMidRun_AnotherNodeResumesFromTheCheckpointWithEachIterationRecordedOnce()
    {
        using var doomed = WorkerProcess.Start(Database.ConnectionString, storageRoot: _store);
        const int saveSteps = 2;
        var launched = await LaunchAsync(Quick with { Trainer = Quick.Trainer with { TotalEpisodes = 4 * 40 }, SaveSteps = saveSteps });
        var started = await WaitForRunAsync(launched.Id, r => r.Step > saveSteps, "an iteration past the first checkpoint on the doomed node", TimeSpan.FromMinutes(3));
        doomed.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        await using var survivor = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);
        var run = await WaitForEndAsync(launched.Id, TimeSpan.FromMinutes(8));

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        started.Node.ShouldNotBe(survivor.InstanceId);
        run.Node.ShouldBe(survivor.InstanceId);
        await using var db = Database.CreateContext();
        var kl = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Key == "objective/kl").OrderBy(m => m.Step).ToListAsync();
        kl.Select(m => m.Step).ShouldBe(Enumerable.Range(1, run.TotalSteps));
        kl.Where(m => m.Step <= saveSteps).ShouldAllBe(m => m.RecordedAt < killedAt);
        (await db.ModelVersions.CountAsync(m => m.TrainingRunId == run.Id)).ShouldBe(1);
        Directory.Exists(Path.Combine(_store, "runs", run.Id.ToString(CultureInfo.InvariantCulture), "checkpoints")).ShouldBeFalse();
    }
}
