using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Jobs;

public sealed class ModelLineageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>base → DPO policy (reference: base) → round policy (reference: the DPO policy); a reward model beside them.</summary>
    private async Task<(int Base, int Dpo, int Round, int Reward)> SeedAsync()
    {
        await using var db = _database.CreateContext();
        var rewardRun = new TrainingRun(TrainingKind.RewardModel, "{}", "researcher");
        var dpoRun = new TrainingRun(TrainingKind.Dpo, "{}", "researcher");
        db.TrainingRuns.AddRange(rewardRun, dpoRun);
        var baseModel = new ModelVersion("base", ModelKind.Policy, "models/base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        var reward = new ModelVersion("reward", ModelKind.Reward, "models/reward", baseModel.Id, rewardRun.Id, ModelOrigin.RewardRun);
        reward.RecordLabelsSeen(12, T0);
        var dpo = new ModelVersion("dpo", ModelKind.Policy, "models/dpo", baseModel.Id, dpoRun.Id, ModelOrigin.DpoRun, referenceModelId: baseModel.Id);
        dpo.RecordLabelsSeen(20, T0.AddHours(1));
        db.ModelVersions.AddRange(reward, dpo);
        await db.SaveChangesAsync();
        // A round's policy names its round (a model made by a round must).
        var project = new Project("Lineage", "lineage", FeedbackKinds.Pairwise);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var loopRound = new LoopRound(project.Id, 2, "{}", dpo.Id, baseModel.Id, "researcher", labelsAtStart: 0, T0);
        db.LoopRounds.Add(loopRound);
        await db.SaveChangesAsync();
        var round = new ModelVersion("round 2", ModelKind.Policy, "models/round-2", dpo.Id, origin: ModelOrigin.Round, referenceModelId: dpo.Id,
            roundId: loopRound.Id);
        round.RecordLabelsSeen(31, T0.AddHours(5));
        db.ModelVersions.Add(round);
        await db.SaveChangesAsync();
        return (baseModel.Id, dpo.Id, round.Id, reward.Id);
    }

    [Fact]
    public async Task ChainAsync_RoundPolicy_LeadsThroughItsParentsBackToTheBaseWithWhatEachSaw()
    {
        var ids = await SeedAsync();
        await using var db = _database.CreateContext();

        var chain = await new ModelLineage(db).ChainAsync(ids.Round, CancellationToken.None);

        chain.Select(m => m.Id).ShouldBe([ids.Round, ids.Dpo, ids.Base]);
        chain.Select(m => m.Origin).ShouldBe([ModelOrigin.Round, ModelOrigin.DpoRun, ModelOrigin.Base]);
        chain.Select(m => m.ReferenceModelId).ShouldBe([ids.Dpo, ids.Base, null]);
        chain.Select(m => m.LabelsSeen).ShouldBe([31, 20, null]);
        chain[0].NewestLabelAt.ShouldBe(T0.AddHours(5));
    }

    [Fact]
    public async Task ChainAsync_RewardModel_IsItselfThenItsBase()
    {
        var ids = await SeedAsync();
        await using var db = _database.CreateContext();

        var chain = await new ModelLineage(db).ChainAsync(ids.Reward, CancellationToken.None);

        chain.Select(m => m.Name).ShouldBe(["reward", "base"]);
    }

    [Fact]
    public async Task ChainAsync_UnknownModel_IsEmpty()
    {
        await using var db = _database.CreateContext();
        (await new ModelLineage(db).ChainAsync(404, CancellationToken.None)).ShouldBeEmpty();
    }
}
