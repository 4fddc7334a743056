using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class RewardLaunchModelTests
{
    [Fact]
    public void Defaults_ToConfig_IsTheRunConfigsOwnDefault()
    {
        var model = RewardLaunchModel.Defaults(projectId: 3, baseModelId: 4);

        model.ToConfig().ShouldBe(new RewardRunConfig());
        model.Problems().ShouldBeEmpty();
    }

    [Fact]
    public void Problems_BadValues_EachMessageBelongsToTheFieldItNames()
    {
        var model = RewardLaunchModel.Defaults(baseModelId: 4);
        model.LearningRate = 0;
        model.EvalShare = 1;
        model.SaveSteps = -5;
        model.MaxGradNorm = 0;

        var problems = model.Problems();

        problems.ShouldBe(
        [
            (nameof(RewardLaunchModel.ProjectId), "project: choose a project"),
            (nameof(RewardLaunchModel.LearningRate), "learning_rate must be in (0, 1), got 0"),
            (nameof(RewardLaunchModel.MaxGradNorm), "max_grad_norm must be positive, got 0"),
            (nameof(RewardLaunchModel.EvalShare), "eval_share must be in [0, 1), got 1"),
            (nameof(RewardLaunchModel.SaveSteps), "save_steps must be 0 (no checkpoints) or more, got -5"),
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task ValidateAsync_OneProperty_AnswersOnlyItsOwnProblems()
    {
        var model = RewardLaunchModel.Defaults(projectId: 1, baseModelId: 2);
        model.BatchSize = 0;
        model.Epochs = 0;

        var batch = await model.ValidateAsync(model, nameof(RewardLaunchModel.BatchSize));
        var seed = await model.ValidateAsync(model, nameof(RewardLaunchModel.Seed));

        batch.ShouldBe(["per_device_train_batch_size must be at least 1, got 0"]);
        seed.ShouldBeEmpty();
    }

    [Fact]
    public void Locate_LauncherMessages_FindsTheirFieldOrNone()
    {
        var located = RewardLaunchModel.Locate(["project: there is no project 9", "base_model: there is no model version 2", "the queue is down"]);

        located.Select(p => p.Property).ShouldBe([nameof(RewardLaunchModel.ProjectId), nameof(RewardLaunchModel.BaseModelId), null]);
    }
}
