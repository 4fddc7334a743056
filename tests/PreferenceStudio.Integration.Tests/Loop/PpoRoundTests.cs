using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Ppo;
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
