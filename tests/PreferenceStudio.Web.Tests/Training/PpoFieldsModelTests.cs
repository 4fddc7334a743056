using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;
using PreferenceStudio.Web.Loop;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

/// <summary>PPO's one fields model, as the launch form and the loop settings use it: mapping both ways and messages per field.</summary>
public class PpoFieldsModelTests
{
    private static PpoRunConfig Stored() => new()
    {
        Trainer = new PreferenceStudio.Training.Ppo.PpoConfig { KlCoef = 0.2, LearningRate = 1e-5, BatchSize = 8, MiniBatchSize = 4, Temperature = 0.9, Lam = 0.9 },
        Reward = new PpoRewardSection
        {
            RewardModelWeight = 0.5, SpanModelId = 7, SpanWeight = 2,
            Segments = new SegmentRewardConfig { CategoryWeights = new Dictionary<string, double> { ["factual"] = 3 }, SegmentLength = 6, SegmentBonus = 0.1 },
            PrincipleModelId = 9, PrincipleWeight = 1.5, Principles = [new WeightedPrinciple("Is it polite?", 0.25)],
            MaxLength = 300,
        },
        EvalShare = 0.2,
    };

    [Fact]
    public void ForLoopThenToConfig_StoredConfig_GivesItBackFieldForFieldIncludingTheFieldsTheFormDoesNotShow()
    {
        var stored = Stored();

        var config = PpoFieldsModel.ForLoop(stored).ToConfig();

        config.ToJson().ShouldBe(stored.ToJson());
        config.Trainer.Lam.ShouldBe(0.9);
        config.Reward.Segments.SegmentBonus.ShouldBe(0.1);
    }

    [Fact]
    public void ToConfig_EditedFields_LandInTheRunsConfigUnderTheirSections()
    {
        var fields = PpoFieldsModel.ForLaunch();
        fields.SpanModelId = 4;
        fields.TakeCategories(["factual", "irrelevant"]);
        fields.CategoryWeights[1].Weight = 0.5;
        fields.SpanWeight = 2;
        fields.PrincipleModelId = 5;
        fields.TakePrinciples(["Is it kind?", "Is it short?"]);
        fields.Principles[1].Weight = 3;
        fields.RemovePrinciple(fields.Principles[0]);
        fields.KlCoef = 0.3;

        var config = fields.ToConfig();

        (config.Reward.SpanModelId, config.Reward.SpanWeight, config.Reward.PrincipleModelId, config.Reward.RewardModelId).ShouldBe((4, 2.0, 5, (int?)null));
        config.Reward.Segments.CategoryWeights.ShouldBe(new Dictionary<string, double> { ["factual"] = 1, ["irrelevant"] = 0.5 }, ignoreOrder: true);
        config.Reward.Principles.ShouldBe([new WeightedPrinciple("Is it short?", 3)]);
        config.Trainer.KlCoef.ShouldBe(0.3);
    }

    [Fact]
    public void TakeCategories_StoredWeightsAndANameTheModelLacks_KeepsTheWeightsInTaxonomyOrderAndTheStrayRowLast()
    {
        var fields = PpoFieldsModel.ForLoop(Stored() with
        {
            Reward = Stored().Reward with { Segments = new SegmentRewardConfig { CategoryWeights = new Dictionary<string, double> { ["factual"] = 3, ["gone"] = 2 } } },
        });

        fields.TakeCategories(["irrelevant", "factual"]);

        fields.CategoryWeights.Select(c => (c.Category, c.Weight)).ShouldBe([("irrelevant", 1.0), ("factual", 3.0), ("gone", 2.0)]);
    }

    [Fact]
    public void LaunchProblems_PpoWithNoSource_NamesTheThreePickers()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 1, baseModelId: 2, kind: TrainingKind.Ppo);

        var problems = model.Problems();

        problems.Select(p => p.Property).ShouldBe([nameof(PpoFieldsModel.RewardModelId), nameof(PpoFieldsModel.SpanModelId), nameof(PpoFieldsModel.PrincipleModelId)]);
        problems.ShouldAllBe(p => p.Message.StartsWith("reward: name at least one reward source", StringComparison.Ordinal));
        model.Ppo.SpanModelId = 3;
        model.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void LaunchProblems_BadWeightsAndAnUnevenMiniBatch_EachAtItsOwnField()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 1, baseModelId: 2, kind: TrainingKind.Ppo);
        model.Ppo.RewardModelId = 1;
        model.Ppo.RewardModelWeight = double.NaN;
        model.Ppo.MiniBatchSize = 5;
        model.Ppo.PpoLearningRate = 2;
        model.Ppo.SpanModelId = 4;
        model.Ppo.SegmentLength = 0;

        var problems = model.Problems();

        problems.ShouldContain((nameof(PpoFieldsModel.RewardModelWeight), "reward.reward_model_weight must be finite, got NaN"));
        problems.ShouldContain(p => p.Property == nameof(PpoFieldsModel.RolloutBatchSize) && p.Message.StartsWith("batch_size must be a multiple", StringComparison.Ordinal));
        problems.ShouldContain((nameof(PpoFieldsModel.PpoLearningRate), "learning_rate must be in (0, 1), got 2"));
        problems.ShouldContain((nameof(PpoFieldsModel.SegmentLength), "reward.segments.segment_length must be at least 1 token, got 0"));
        // PPO's learning rate is PPO's field, not the other kinds' shared one.
        problems.ShouldNotContain(p => p.Property == nameof(TrainingLaunchModel.LearningRate));
    }

    [Fact]
    public void RowProblems_NegativeCategoryWeightAndEmptyPrincipleText_ShowAtThatRowOnly()
    {
        var fields = PpoFieldsModel.ForLaunch();
        fields.SpanModelId = 4;
        fields.TakeCategories(["factual", "off topic"]);
        fields.CategoryWeights[1].Weight = -1;
        fields.PrincipleModelId = 5;
        fields.TakePrinciples(["Is it kind?"]);
        fields.AddPrinciple();

        fields.CategoryProblems(fields.CategoryWeights[1]).ShouldBe(["reward.segments.category_weights['off topic'] must be finite and not negative, got -1"]);
        fields.CategoryProblems(fields.CategoryWeights[0]).ShouldBeEmpty();
        fields.PrincipleProblems(fields.Principles[1], "text").ShouldBe(["reward.principles[1].text: a principle needs its text"]);
        fields.PrincipleProblems(fields.Principles[0], "text").ShouldBeEmpty();
        TrainingLaunchModel.Locate(["reward.principles[1].text: a principle needs its text"], TrainingKind.Ppo)
            .ShouldHaveSingleItem().Property.ShouldBe(nameof(PpoFieldsModel.Principles));
    }

    [Fact]
    public void LoopProblems_PpoFieldsUnderPpoPrefix_ShowAtTheSameFieldsAsOnTheLaunchForm()
    {
        var model = LoopSettingsModel.From(null, basePolicyId: 1);
        model.PolicyTrainer = PolicyTrainer.Ppo;
        model.Ppo.KlCoef = -1;
        model.Ppo.PrincipleModelId = 5;

        var problems = model.Problems();

        problems.ShouldContain((nameof(PpoFieldsModel.KlCoef), "ppo.kl_coef must not be negative, got -1"));
        problems.ShouldContain((nameof(PpoFieldsModel.PrincipleModelId), "ppo.reward.principles: a principle reward needs at least one principle (its text and weight)"));
        // The round brings its own scalar reward model: naming none is no problem in the loop.
        problems.ShouldNotContain(p => p.Message.StartsWith("ppo.reward:", StringComparison.Ordinal));
        model.Ppo.RoundOwnsScalarModel.ShouldBeTrue();
    }

    [Fact]
    public void LoopProblems_DpoChosenWithBadHiddenPpoValues_NoneRefusesTheSave()
    {
        var model = LoopSettingsModel.From(null, basePolicyId: 1);
        model.PolicyTrainer = PolicyTrainer.Ppo;
        model.Ppo.KlCoef = -1;
        model.PolicyTrainer = PolicyTrainer.Dpo;

        var problems = model.Problems();

        // The PPO section is hidden with DPO chosen: its values are checked when PPO is chosen again.
        problems.ShouldBeEmpty();
        model.PolicyTrainer = PolicyTrainer.Ppo;
        model.Problems().ShouldContain((nameof(PpoFieldsModel.KlCoef), "ppo.kl_coef must not be negative, got -1"));
    }

    [Fact]
    public void LoopToChange_SpanSourceChosen_StoresItInThePpoConfigWithoutAScalarModel()
    {
        var model = LoopSettingsModel.From(null, basePolicyId: 1);
        model.PolicyTrainer = PolicyTrainer.Ppo;
        model.Ppo.SpanModelId = 6;
        model.Ppo.TakeCategories(["factual"]);
        model.Ppo.CategoryWeights[0].Weight = 4;

        var change = model.ToChange();
        var saved = new LoopSettings(1, 1);
        saved.Change(change, "researcher", DateTimeOffset.UnixEpoch).ShouldBeEmpty();
        var again = LoopSettingsModel.From(saved);

        var reward = PpoRunConfig.FromJson(change.PpoConfigJson).Reward;
        (reward.SpanModelId, reward.RewardModelId, reward.Segments.CategoryWeights["factual"]).ShouldBe((6, (int?)null, 4.0));
        again.Ppo.ToConfig().ToJson().ShouldBe(model.PpoConfig().ToJson());
        again.PolicyTrainer.ShouldBe(PolicyTrainer.Ppo);
    }

    [Fact]
    public void PropertiesOf_LaunchAndLoopMessagesOfOneField_NameTheSameProperty()
    {
        PpoFieldsModel.PropertiesOf("reward.span_weight must be finite, got NaN", "").ShouldBe([nameof(PpoFieldsModel.SpanWeight)]);
        PpoFieldsModel.PropertiesOf("ppo.reward.span_weight must be finite, got NaN", PpoFieldsModel.LoopPrefix).ShouldBe([nameof(PpoFieldsModel.SpanWeight)]);
        PpoFieldsModel.PropertiesOf("dpo.beta must be positive", PpoFieldsModel.LoopPrefix).ShouldBeEmpty();
        LoopSettingsModel.Locate(["policy_trainer: unknown"]).ShouldHaveSingleItem().Property.ShouldBe(nameof(LoopSettingsModel.PolicyTrainer));
    }
}
