using PreferenceStudio.Core.Training;
using static PreferenceStudio.Core.Tests.Builders;

namespace PreferenceStudio.Core.Tests;

public class ModelVersionTests
{
    [Fact]
    public void Constructor_BaseWithATrainingRun_IsRefused() =>
        Should.Throw<DomainException>(() => new ModelVersion("base", ModelKind.Policy, "models/b", trainingRunId: 3))
            .Message.ShouldContain("base model");

    [Theory]
    [InlineData(ModelOrigin.RewardRun, 1, null)]
    [InlineData(ModelOrigin.DpoRun, null, 5L)]
    public void Constructor_RunMadeWithoutParentOrRun_IsRefusedNamingTheOrigin(ModelOrigin origin, int? parentId, long? runId) =>
        Should.Throw<DomainException>(() => new ModelVersion("made", ModelKind.Policy, "models/m", parentId, runId, origin))
            .Message.ShouldContain(origin.ToString());

    [Fact]
    public void Constructor_RoundWithoutParent_IsRefused() =>
        Should.Throw<DomainException>(() => new ModelVersion("round 1", ModelKind.Policy, "models/r", origin: ModelOrigin.Round, roundId: 1));

    [Fact]
    public void Constructor_RoundWithoutItsRound_IsRefusedNamingTheRound() =>
        Should.Throw<DomainException>(() => new ModelVersion("round 1", ModelKind.Policy, "models/r", 1, 2, ModelOrigin.Round))
            .Message.ShouldContain("names the round");

    [Fact]
    public void Constructor_RunModelNamingARound_IsRefused() =>
        Should.Throw<DomainException>(() => new ModelVersion("dpo", ModelKind.Policy, "models/d", 1, 2, ModelOrigin.DpoRun, roundId: 4))
            .Message.ShouldContain("only a model made by a round");

    [Fact]
    public void RecordLabelsSeen_RewardRun_KeepsCountAndNewestTime()
    {
        var version = new ModelVersion("reward", ModelKind.Reward, "models/r", 1, 2, ModelOrigin.RewardRun);
        version.RecordLabelsSeen(7, T0);
        version.LabelsSeen.ShouldBe(7);
        version.NewestLabelAt.ShouldBe(T0);
    }

    [Fact]
    public void RecordLabelsSeen_BaseModel_IsRefused() =>
        Should.Throw<DomainException>(() => new ModelVersion("base", ModelKind.Policy, "models/b").RecordLabelsSeen(1, T0));

    [Theory]
    [InlineData(0, true)]
    [InlineData(3, false)]
    [InlineData(-1, false)]
    public void RecordLabelsSeen_CountAndTimeDisagree_IsRefused(int count, bool withTime)
    {
        var version = new ModelVersion("reward", ModelKind.Reward, "models/r", 1, 2, ModelOrigin.RewardRun);
        Should.Throw<DomainException>(() => version.RecordLabelsSeen(count, withTime ? T0 : null));
    }
}
