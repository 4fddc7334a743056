using PreferenceStudio.Core.Loop;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;
using PreferenceStudio.Web.Loop;

namespace PreferenceStudio.Web.Tests.Loop;

public class LoopSettingsModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_NoSettings_TakesTheLoopsAndTheTrainersDefaults()
    {
        var model = LoopSettingsModel.From(null, basePolicyId: 7);

        var change = model.ToChange();

        model.BasePolicyId.ShouldBe(7);
        (change with { RewardConfigJson = "{}", DpoConfigJson = "{}", PpoConfigJson = "{}" }).ShouldBe(new LoopSettings(0, 0).ToChange());
        RewardRunConfig.FromJson(change.RewardConfigJson).ShouldBe(new RewardRunConfig());
        DpoRunConfig.FromJson(change.DpoConfigJson).ShouldBe(new DpoRunConfig());
        model.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void ToChange_EditedFields_BecomeTheChangeAndTheRoundsConfigJson()
    {
        var model = LoopSettingsModel.From(null, basePolicyId: 7);
        (model.Enabled, model.Cron, model.EveryNewLabels, model.ResponsesPerPrompt, model.PromptsPerRound) = (true, " 0 3 * * * ", 50, 6, 20);
        (model.HumanShare, model.LabelDeadlineHours, model.EvalPrompts) = (0.25, 1.5, 8);
        (model.DpoBeta, model.DpoLossType, model.DpoLabelSmoothing, model.DpoLearningRate, model.DpoEpochs) = (0.2, DpoLossType.Robust, 0.1, 1e-5, 3);
        (model.RewardLearningRate, model.RewardEpochs) = (2e-5, 2);

        var change = model.ToChange();

        change.ShouldBe(new LoopSettingsChange(true, "0 3 * * *", 50, 6, 20, 0.25, TimeSpan.FromMinutes(90), 8, change.RewardConfigJson, change.DpoConfigJson, PolicyTrainer.Dpo, change.PpoConfigJson));
        var dpo = DpoRunConfig.FromJson(change.DpoConfigJson).Trainer;
        (dpo.Beta, dpo.LossType, dpo.LabelSmoothing, dpo.LearningRate, dpo.Epochs).ShouldBe((0.2, DpoLossType.Robust, 0.1, 1e-5, 3));
        var reward = RewardRunConfig.FromJson(change.RewardConfigJson).Trainer;
        (reward.LearningRate, reward.Epochs).ShouldBe((2e-5, 2));
        model.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void From_SavedSettings_ShowsThemAndKeepsConfigFieldsTheFormDoesNotShow()
    {
        var saved = new LoopSettings(projectId: 1, basePolicyId: 9);
        var dpoJson = (new DpoRunConfig() with { SaveSteps = 5, Trainer = new DpoConfig { BatchSize = 2, Beta = 0.3 } }).ToJson();
        saved.Change(new LoopSettingsChange(false, null, 10, 4, 32, 0.75, TimeSpan.FromHours(2), 16, "{}", dpoJson), "r@test.local", Now).ShouldBeEmpty();

        var model = LoopSettingsModel.From(saved, basePolicyId: 3);
        model.DpoBeta = 0.4;
        var dpo = DpoRunConfig.FromJson(model.ToChange().DpoConfigJson);

        (model.BasePolicyId, model.EveryNewLabels, model.HumanShare, model.LabelDeadlineHours).ShouldBe((9, 10, 0.75, 2.0));
        (dpo.Trainer.Beta, dpo.Trainer.BatchSize, dpo.SaveSteps).ShouldBe((0.4, 2, 5));
    }

    [Fact]
    public void Problems_BadValues_EachAtTheFieldItNames()
    {
        var model = LoopSettingsModel.From(null);
        (model.Enabled, model.Cron, model.EveryNewLabels) = (true, "", null);
        (model.ResponsesPerPrompt, model.PromptsPerRound, model.HumanShare, model.LabelDeadlineHours, model.EvalPrompts) = (1, 0, 1.5, -1, 0);
        (model.DpoBeta, model.DpoLearningRate, model.RewardEpochs) = (0, 2, 0);

        var problems = model.Problems();

        problems.Select(p => p.Property).ShouldBe([
            nameof(LoopSettingsModel.BasePolicyId), nameof(LoopSettingsModel.Enabled), nameof(LoopSettingsModel.ResponsesPerPrompt),
            nameof(LoopSettingsModel.PromptsPerRound), nameof(LoopSettingsModel.HumanShare), nameof(LoopSettingsModel.LabelDeadlineHours),
            nameof(LoopSettingsModel.EvalPrompts), nameof(LoopSettingsModel.RewardEpochs), nameof(LoopSettingsModel.DpoBeta),
            nameof(LoopSettingsModel.DpoLearningRate)], ignoreOrder: true);
        problems.ShouldContain((nameof(LoopSettingsModel.DpoBeta), "dpo.beta must be positive, got 0"));
        problems.ShouldContain((nameof(LoopSettingsModel.HumanShare), "human_share: 0 to 1, got 1.5"));
    }

    [Fact]
    public void Problems_DeadlineNoSpanHolds_RefusedAtItsFieldNotThrown()
    {
        var model = LoopSettingsModel.From(null, basePolicyId: 1);
        model.LabelDeadlineHours = 1e300;

        model.Problems().Single().Property.ShouldBe(nameof(LoopSettingsModel.LabelDeadlineHours));
    }

    [Fact]
    public void Locate_StoreMessages_NamedFieldsAtTheirPropertiesTheRestAtNone()
    {
        var located = LoopSettingsModel.Locate([
            "base_policy: there is no policy model version 4",
            "cron: '* *' is not a cron expression (bad)",
            "dpo.per_device_train_batch_size must be at least 1, got 0",
            "round: round 2 is still Running; a project runs one round at a time",
        ]);

        located.Select(p => p.Property).ShouldBe([nameof(LoopSettingsModel.BasePolicyId), nameof(LoopSettingsModel.Cron), null, null]);
    }
}
