using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class TrainingLaunchModelTests
{
    [Fact]
    public void SwitchTo_Dpo_TakesTheDpoRunConfigsDefaultsAndKeepsProjectAndBase()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 3, baseModelId: 4);
        model.LearningRate = 0.5;

        model.SwitchTo(TrainingKind.Dpo);

        model.ToDpoConfig().ShouldBe(new DpoRunConfig());
        (model.ProjectId, model.BaseModelId, model.Kind).ShouldBe((3, 4, TrainingKind.Dpo));
        model.Problems().ShouldBeEmpty();
        model.SwitchTo(TrainingKind.RewardModel);
        model.ToRewardConfig().ShouldBe(new RewardRunConfig());
    }

    [Fact]
    public void Problems_DpoIpoWithLabelSmoothingAndNoBeta_EachAtItsField()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 3, baseModelId: 4, kind: TrainingKind.Dpo);
        model.LossType = DpoLossType.Ipo;
        model.LabelSmoothing = 0.1;
        model.Beta = 0;

        var problems = model.Problems();

        problems.Select(p => p.Property).ShouldBe([nameof(TrainingLaunchModel.Beta), nameof(TrainingLaunchModel.LossType)], ignoreOrder: true);
        problems.ShouldContain((nameof(TrainingLaunchModel.LossType), "loss_type ipo does not support label_smoothing, got label_smoothing 0.1"));
    }

    [Fact]
    public void Problems_RewardKind_IgnoresTheDpoFields()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 3, baseModelId: 4);
        model.Beta = -1;
        model.LossType = "nonsense";

        model.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void Defaults_ToConfig_IsTheRunConfigsOwnDefault()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 3, baseModelId: 4);

        model.ToRewardConfig().ShouldBe(new RewardRunConfig());
        model.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void Problems_BadValues_EachMessageBelongsToTheFieldItNames()
    {
        var model = TrainingLaunchModel.Defaults(baseModelId: 4);
        model.LearningRate = 0;
        model.EvalShare = 1;
        model.SaveSteps = -5;
        model.MaxGradNorm = 0;

        var problems = model.Problems();

        problems.ShouldBe(
        [
            (nameof(TrainingLaunchModel.ProjectId), "project: choose a project"),
            (nameof(TrainingLaunchModel.LearningRate), "learning_rate must be in (0, 1), got 0"),
            (nameof(TrainingLaunchModel.MaxGradNorm), "max_grad_norm must be positive, got 0"),
            (nameof(TrainingLaunchModel.EvalShare), "eval_share must be in [0, 1), got 1"),
            (nameof(TrainingLaunchModel.SaveSteps), "save_steps must be 0 (no checkpoints) or more, got -5"),
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task ValidateAsync_OneProperty_AnswersOnlyItsOwnProblems()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 1, baseModelId: 2);
        model.BatchSize = 0;
        model.Epochs = 0;

        var batch = await model.ValidateAsync(model, nameof(TrainingLaunchModel.BatchSize));
        var seed = await model.ValidateAsync(model, nameof(TrainingLaunchModel.Seed));

        batch.ShouldBe(["per_device_train_batch_size must be at least 1, got 0"]);
        seed.ShouldBeEmpty();
    }

    [Fact]
    public void Locate_LauncherMessages_FindsTheirFieldOrNone()
    {
        var located = TrainingLaunchModel.Locate(["project: there is no project 9", "base_model: there is no model version 2", "the queue is down"]);

        located.Select(p => p.Property).ShouldBe([nameof(TrainingLaunchModel.ProjectId), nameof(TrainingLaunchModel.BaseModelId), null]);
    }
}
