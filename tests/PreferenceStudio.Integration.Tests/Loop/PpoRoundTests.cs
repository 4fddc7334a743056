using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Integration.Tests.Training;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;
using PreferenceStudio.Training.Ppo;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Loop;

/// <summary>A round whose loop chose PPO: the policy update learns from the round's own reward model on the round's prompts.</summary>
public class PpoRoundTests : LoopTest
{
    private static readonly PpoRunConfig QuickPpo = new()
    {
        Trainer = new PpoConfig
        {
            LearningRate = 1e-3, BatchSize = 2, MiniBatchSize = 2, NumPpoEpochs = 1, TotalEpisodes = 4, MaxNewTokens = 8, Temperature = 1.0, Seed = 7,
        },
        EvalShare = 0.25,
    };

    [Fact]
    public async Task Round_PpoChosen_TrainsFromTheRoundsRewardModelOnItsPromptsAndRegistersThePolicyWithItsLineage()
    {
        await LabelSeedTasksAsync();
        await SaveLoopAsync(Settings(humanShare: 0) with { PolicyTrainer = PolicyTrainer.Ppo, PpoConfigJson = QuickPpo.ToJson() });
        await using var worker = await StartWorkerAsync();
        var started = await StartRoundAsync();

        var round = await WaitForRoundAsync(started.Id, [RoundState.Succeeded, RoundState.Failed, RoundState.Cancelled]);

        round.State.ShouldBe(RoundState.Succeeded, await DescribeRoundAsync(round.Id));
        round.Stages.Select(s => s.Kind).ShouldBe(Enum.GetValues<RoundStageKind>());
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.AnyAsync(r => r.RoundId == round.Id && r.Kind == TrainingKind.Dpo)).ShouldBeFalse();
        var ppoRun = await db.TrainingRuns.SingleAsync(r => r.RoundId == round.Id && r.Kind == TrainingKind.Ppo);
        round.Stages.Single(s => s.Kind == RoundStageKind.Dpo).RunId.ShouldBe(ppoRun.Id);
        round.Stages.Single(s => s.Kind == RoundStageKind.Dpo).Summary!.ShouldStartWith("PPO: ");
        // The reward is the round's freshly trained reward model, put in the run's config by the stage.
        PpoRunConfig.FromJson(ppoRun.ConfigJson).Reward.RewardModelId.ShouldBe(round.RewardModelId);
        (ppoRun.State, ppoRun.TotalSteps).ShouldBe((RunState.Succeeded, 2));  // 4 episodes, 2 a rollout batch
        (await db.RunMetrics.AnyAsync(m => m.RunId == ppoRun.Id && m.Key == PpoRewardMix.SourceScorePrefix + "reward_model")).ShouldBeTrue();

        // The run's prompts are the round's: those the sample stage answered.
        var sampled = await db.Responses.Where(r => r.Source == $"round 1 · policy {BaseId}").Select(r => r.PromptId).Distinct().OrderBy(id => id).ToListAsync();
        var snapshot = (await File.ReadAllLinesAsync(Path.Combine(Store, "runs", ppoRun.Id.ToString(CultureInfo.InvariantCulture), "dataset.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt_id").GetInt32()).ToList();
        snapshot.ShouldBe(sampled);

        var policy = await db.ModelVersions.SingleAsync(m => m.Id == round.OutputPolicyId);
        var rewardModel = await db.ModelVersions.SingleAsync(m => m.Id == round.RewardModelId);
        (policy.Kind, policy.Origin, policy.ParentId, policy.ReferenceModelId, policy.RoundId, policy.TrainingRunId)
            .ShouldBe((ModelKind.Policy, ModelOrigin.Round, BaseId, BaseId, round.Id, ppoRun.Id));
        policy.Name.ShouldBe($"policy of round 1 of {DemoSeeder.ProjectSlug}");
        // It learned from the reward model alone, so it saw the labels the reward model saw.
        (policy.LabelsSeen, policy.NewestLabelAt).ShouldBe((rewardModel.LabelsSeen, rewardModel.NewestLabelAt));
        (await db.LoopSettings.SingleAsync(s => s.ProjectId == ProjectId)).PolicyId.ShouldBe(policy.Id);
        round.WinRateVsBase.ShouldNotBeNull();
        LoopRoundSettings.FromJson(round.SettingsJson).Trainer.ShouldBe(PolicyTrainer.Ppo);
    }

    private static readonly SpanRewardRunConfig QuickSpan = new()
    {
        Trainer = new SpanRewardConfig { LearningRate = 1e-3, BatchSize = 2, Epochs = 1, MaxLength = 256, Seed = 7 },
        EvalShare = 0.25,
    };

    private static readonly PrincipleRewardRunConfig QuickPrinciple = new()
    {
        Trainer = new PrincipleRewardConfig { LearningRate = 1e-3, BatchSize = 4, Epochs = 1, MaxLength = 512, Seed = 11 },
        EvalShare = 0.25,
    };

    /// <summary>A model version as a run on <paramref name="projectId"/> registers it, the run itself not run: the round retrains it, never loads it.</summary>
    private async Task<int> RegisterTrainedAsync(TrainingKind runKind, string configJson, ModelKind kind, ModelOrigin origin, int projectId)
    {
        await using var db = Database.CreateContext();
        var run = new TrainingRun(runKind, configJson, "researcher", projectId, BaseId);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        var model = new ModelVersion($"{kind} of run {run.Id}", kind, $"models/{kind}-{run.Id}", BaseId, run.Id, origin);
        db.ModelVersions.Add(model);
        await db.SaveChangesAsync();
        return model.Id;
    }

    private Task<int> RegisterSpanModelAsync() =>
        RegisterTrainedAsync(TrainingKind.SpanRewardModel, QuickSpan.ToJson(), ModelKind.SpanReward, ModelOrigin.SpanRewardRun, ProjectId);

    private Task<int> RegisterPrincipleModelAsync() =>
        RegisterTrainedAsync(TrainingKind.PrincipleRewardModel, QuickPrinciple.ToJson(), ModelKind.PrincipleReward, ModelOrigin.PrincipleRewardRun, ProjectId);

    [Fact]
    public async Task Round_PpoWithSpanAndPrincipleRewards_RetrainsBothOnEveryLabelSoFarAndPpoLearnsFromTheRetrainedModels()
    {
        await LabelSeedTasksAsync();
        var (span, principle) = (await RegisterSpanModelAsync(), await RegisterPrincipleModelAsync());
        // Given after the named models were trained: the round's retrained models must learn from them.
        int spanLabels, principleLabels;
        string principleText;
        await using (var db = Database.CreateContext())
        {
            spanLabels = await DemoFeedback.MarkSpansAsync(db, ProjectId);
            principleLabels = await DemoFeedback.JudgePrinciplesAsync(db, ProjectId);
            principleText = await db.Principles.Where(p => p.ProjectId == ProjectId).OrderBy(p => p.Order).Select(p => p.Text).FirstAsync();
        }
        var ppo = QuickPpo with
        {
            Reward = new PpoRewardSection
            {
                SpanModelId = span, SpanWeight = 0.5, PrincipleModelId = principle, PrincipleWeight = 2,
                Principles = [new WeightedPrinciple(principleText, 1)],
            },
        };
        await SaveLoopAsync(Settings(humanShare: 0) with { PolicyTrainer = PolicyTrainer.Ppo, PpoConfigJson = ppo.ToJson() });
        await using var worker = await StartWorkerAsync();
        var started = await StartRoundAsync();

        var round = await WaitForRoundAsync(started.Id, [RoundState.Succeeded, RoundState.Failed, RoundState.Cancelled]);

        round.State.ShouldBe(RoundState.Succeeded, await DescribeRoundAsync(round.Id));
        await using var read = Database.CreateContext();
        foreach (var (named, made, runKind, kind, labels) in new[]
                 {
                     (span, round.SpanRewardModelId, TrainingKind.SpanRewardModel, ModelKind.SpanReward, spanLabels),
                     (principle, round.PrincipleRewardModelId, TrainingKind.PrincipleRewardModel, ModelKind.PrincipleReward, principleLabels),
                 })
        {
            made.ShouldNotBeNull(kind.ToString());
            made.ShouldNotBe(named);
            var model = await read.ModelVersions.SingleAsync(m => m.Id == made);
            model.Kind.ShouldBe(kind);
            model.LabelsSeen.ShouldBe(labels);
            // The named model's settings again, as a run of the round.
            var run = await read.TrainingRuns.SingleAsync(r => r.Id == model.TrainingRunId);
            var template = await read.TrainingRuns.SingleAsync(r => r.Id == read.ModelVersions.Single(m => m.Id == named).TrainingRunId);
            (run.Kind, run.RoundId, run.ProjectId, run.BaseModelVersionId, run.State).ShouldBe((runKind, round.Id, ProjectId, template.BaseModelVersionId, RunState.Succeeded));
            run.ConfigJson.ShouldBe(template.ConfigJson);
        }
        var stage = round.Stages.Single(s => s.Kind == RoundStageKind.RewardModel).Summary!;
        stage.ShouldContain($"span reward model {round.SpanRewardModelId} from run");
        stage.ShouldContain($"principle reward model {round.PrincipleRewardModelId} from run");

        // PPO's reward mixes the round's three models, each source's score recorded.
        var ppoRun = await read.TrainingRuns.SingleAsync(r => r.RoundId == round.Id && r.Kind == TrainingKind.Ppo);
        var reward = PpoRunConfig.FromJson(ppoRun.ConfigJson).Reward;
        (reward.RewardModelId, reward.SpanModelId, reward.PrincipleModelId).ShouldBe((round.RewardModelId, round.SpanRewardModelId, round.PrincipleRewardModelId));
        (reward.SpanWeight, reward.PrincipleWeight).ShouldBe((0.5, 2));
        foreach (var source in new[] { "reward_model", "span", "principle" })
            (await read.RunMetrics.AnyAsync(m => m.RunId == ppoRun.Id && m.Key == PpoRewardMix.SourceScorePrefix + source)).ShouldBeTrue(source);
        round.Stages.Single(s => s.Kind == RoundStageKind.Dpo).Summary!
            .ShouldContain($"span reward model {round.SpanRewardModelId}, principle reward model {round.PrincipleRewardModelId}");
    }

    [Fact]
    public async Task Round_WorkerKilledWhileRetrainingTheSpanModel_AnotherNodeResumesThatRunAndTheRoundSucceeds()
    {
        const int saveSteps = 2;
        await LabelSeedTasksAsync();
        await using (var db = Database.CreateContext())
            await DemoFeedback.MarkSpansAsync(db, ProjectId);
        // Long enough to be killed in: 6 training responses, 2 a step, 40 epochs.
        var span = await RegisterTrainedAsync(TrainingKind.SpanRewardModel,
            (QuickSpan with { Trainer = QuickSpan.Trainer with { Epochs = 40 }, SaveSteps = saveSteps }).ToJson(),
            ModelKind.SpanReward, ModelOrigin.SpanRewardRun, ProjectId);
        await SaveLoopAsync(Settings(humanShare: 0) with
        {
            PolicyTrainer = PolicyTrainer.Ppo, PpoConfigJson = (QuickPpo with { Reward = new PpoRewardSection { SpanModelId = span } }).ToJson(),
        });
        using var doomed = WorkerProcess.Start(Database.ConnectionString, storageRoot: Store);
        var started = await StartRoundAsync();

        var retraining = await WaitForAsync(db => db.TrainingRuns.AsNoTracking()
            .FirstOrDefaultAsync(r => r.RoundId == started.Id && r.Kind == TrainingKind.SpanRewardModel && r.Step > saveSteps), "a span step past the first checkpoint");
        doomed.Kill();
        await using var survivor = await StartWorkerAsync();
        var round = await WaitForRoundAsync(started.Id, [RoundState.Succeeded, RoundState.Failed, RoundState.Cancelled], TimeSpan.FromMinutes(6));

        round.State.ShouldBe(RoundState.Succeeded, await DescribeRoundAsync(round.Id));
        await using var read = Database.CreateContext();
        // The same run, resumed by the survivor, not a second one started over.
        var run = await read.TrainingRuns.SingleAsync(r => r.RoundId == round.Id && r.Kind == TrainingKind.SpanRewardModel);
        run.Id.ShouldBe(retraining.Id);
        (run.State, run.Node).ShouldBe((RunState.Succeeded, survivor.InstanceId));
        round.SpanRewardModelId.ShouldBe(run.OutputModelVersionId);
        var losses = await read.RunMetrics.Where(m => m.RunId == run.Id && m.Key == "loss").Select(m => m.Step).OrderBy(step => step).ToListAsync();
        losses.ShouldBe(Enumerable.Range(1, run.TotalSteps));
        var ppoRun = await read.TrainingRuns.SingleAsync(r => r.RoundId == round.Id && r.Kind == TrainingKind.Ppo);
        PpoRunConfig.FromJson(ppoRun.ConfigJson).Reward.SpanModelId.ShouldBe(run.OutputModelVersionId);
    }

    [Fact]
    public async Task SaveAsync_PpoNamesModelsARoundCannotRetrain_NamesEachFieldAndChangesNothing()
    {
        int untrained;
        await using (var db = Database.CreateContext())
        {
            // A span model someone copied into the store: no run of this project made it, so no round can repeat it.
            var copied = new ModelVersion("copied span model", ModelKind.SpanReward, "models/copied");
            db.ModelVersions.Add(copied);
            await db.SaveChangesAsync();
            untrained = copied.Id;
        }
        var ppo = QuickPpo with
        {
            Reward = new PpoRewardSection { SpanModelId = untrained, PrincipleModelId = BaseId, Principles = [new WeightedPrinciple("Is it kind?", 1)] },
        };
        await using var scope = App.Services.CreateAsyncScope();

        var errors = await scope.ServiceProvider.GetRequiredService<LoopSettingsStore>().SaveAsync(ProjectId, BaseId,
            Settings(humanShare: 0) with { PolicyTrainer = PolicyTrainer.Ppo, PpoConfigJson = ppo.ToJson() }, "researcher", CancellationToken.None);

        errors.Count.ShouldBe(2, string.Join("\n", errors));
        errors.ShouldContain(e => e.StartsWith($"ppo.reward.span_model_id: model version {untrained} was not made by a span reward model run here", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith($"ppo.reward.principle_model_id: model version {BaseId} is a Policy model", StringComparison.Ordinal));
        await using var read = Database.CreateContext();
        (await read.LoopSettings.AnyAsync(s => s.ProjectId == ProjectId)).ShouldBeFalse();
    }

    [Fact]
    public async Task SaveAsync_DpoChosenPpoValuesInvalid_SavesAndRefusesThemOncePpoIsChosen()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<LoopSettingsStore>();
        var bad = QuickPpo with { Trainer = QuickPpo.Trainer with { KlCoef = -1 } };

        var asDpo = await store.SaveAsync(ProjectId, BaseId, Settings(humanShare: 0) with { PpoConfigJson = bad.ToJson() }, "researcher", CancellationToken.None);
        var asPpo = await store.SaveAsync(ProjectId, null, Settings(humanShare: 0) with { PolicyTrainer = PolicyTrainer.Ppo, PpoConfigJson = bad.ToJson() },
            "researcher", CancellationToken.None);

        asDpo.ShouldBeEmpty();
        asPpo.ShouldHaveSingleItem().ShouldStartWith("ppo.kl_coef");
        await using var db = Database.CreateContext();
        (await db.LoopSettings.SingleAsync(s => s.ProjectId == ProjectId)).PolicyTrainer.ShouldBe(PolicyTrainer.Dpo);
    }

    [Fact]
    public async Task SaveAsync_PpoSettingsInvalid_NamesTheSectionAndFieldAndChangesNothing()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<LoopSettingsStore>();
        var bad = QuickPpo with { Trainer = QuickPpo.Trainer with { KlCoef = -1 }, Reward = new PpoRewardSection { PrincipleModelId = 1 } };

        var errors = await store.SaveAsync(ProjectId, BaseId, Settings(humanShare: 0) with { PolicyTrainer = PolicyTrainer.Ppo, PpoConfigJson = bad.ToJson() },
            "researcher", CancellationToken.None);

        errors.ShouldContain(e => e.StartsWith("ppo.kl_coef", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("ppo.reward.principles: ", StringComparison.Ordinal));
        await using var db = Database.CreateContext();
        (await db.LoopSettings.AnyAsync(s => s.ProjectId == ProjectId)).ShouldBeFalse();
    }
}
