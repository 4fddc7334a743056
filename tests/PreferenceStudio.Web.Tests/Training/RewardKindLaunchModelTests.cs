using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class RewardKindLaunchModelTests
{
    [Fact]
    public void SwitchTo_SpanThenPrinciple_TakesEachRunConfigsDefaultsAndKeepsProjectAndBase()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 3, baseModelId: 4);
        model.LearningRate = 0.5;

        model.SwitchTo(TrainingKind.SpanRewardModel);

        model.ToSpanConfig().ShouldBe(new SpanRewardRunConfig());
        (model.ProjectId, model.BaseModelId, model.Kind).ShouldBe((3, 4, TrainingKind.SpanRewardModel));
        model.Problems().ShouldBeEmpty();
        model.SwitchTo(TrainingKind.PrincipleRewardModel);
        model.ToPrincipleConfig().ShouldBe(new PrincipleRewardRunConfig());
    }

    [Fact]
    public void Problems_SpanClassWeightsNotNumbers_AtTheClassWeightsField()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 3, baseModelId: 4, kind: TrainingKind.SpanRewardModel);
        model.ClassWeights = "1, lots";

        var problems = model.Problems();

        problems.ShouldHaveSingleItem().ShouldBe((nameof(TrainingLaunchModel.ClassWeights),
            "class_weights: 'lots' is not a number; write the weights separated by commas, e.g. 1, 5, 5"));
        model.ClassWeights = "1, 5, -2";
        model.Problems().ShouldHaveSingleItem().Message.ShouldStartWith("class_weights[2] must be positive");
        model.ClassWeights = "1, 5, 5";
        model.Problems().ShouldBeEmpty();
        model.ToSpanConfig().Trainer.ClassWeights.ShouldBe([1.0, 5.0, 5.0]);
    }

    [Fact]
    public void Problems_PrincipleLearningRateAndEvalShareOutOfRange_EachAtItsField()
    {
        var model = TrainingLaunchModel.Defaults(projectId: 3, baseModelId: 4, kind: TrainingKind.PrincipleRewardModel);
        model.LearningRate = 2;
        model.EvalShare = 1;

        model.Problems().Select(p => p.Property).ShouldBe([nameof(TrainingLaunchModel.LearningRate), nameof(TrainingLaunchModel.EvalShare)], ignoreOrder: true);
    }
}
