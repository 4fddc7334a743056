using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>The training grids page, sort and search in the SQL: what the query answers is what the grid shows.</summary>
public class TrainingQueryTests : WebAppTest
{
    private TrainingQuery Query => App.Services.GetRequiredService<TrainingQuery>();

    private async Task<List<long>> SeedRunsAsync()
    {
        await using var db = Database.CreateContext();
        var (alpha, _, _) = await Seed.PairwiseTaskAsync(db, slug: "alpha");
        var (beta, _, _) = await Seed.PairwiseTaskAsync(db, slug: "beta");
        var runs = new[]
        {
            new TrainingRun(TrainingKind.RewardModel, new RewardRunConfig().ToJson(), "ada@lab.test", alpha.Id),
            new TrainingRun(TrainingKind.RewardModel, new RewardRunConfig().ToJson(), "bob@lab.test", beta.Id),
            new TrainingRun(TrainingKind.RewardModel, new RewardRunConfig().ToJson(), "ada@lab.test", beta.Id),
        };
        db.TrainingRuns.AddRange(runs);
        await db.SaveChangesAsync();
        var at = DateTimeOffset.UtcNow;
        db.RunMetrics.AddRange(
            new RunMetric(runs[0].Id, 1, "loss", 0.9, at), new RunMetric(runs[0].Id, 2, "loss", 0.4, at),
            new RunMetric(runs[0].Id, 1, "rewards/accuracies", 0.5, at), new RunMetric(runs[0].Id, 2, "rewards/accuracies", 0.75, at));
        await db.SaveChangesAsync();
        return runs.Select(r => r.Id).ToList();
    }

    [Fact]
    public async Task RunsAsync_DefaultOrder_NewestFirstPagedWithTheLastLossAndAccuracy()
    {
        var ids = await SeedRunsAsync();

        var first = await Query.RunsAsync(new PageRequest(Page: 0, PageSize: 2), CancellationToken.None);
        var second = await Query.RunsAsync(new PageRequest(Page: 1, PageSize: 2), CancellationToken.None);

        first.Total.ShouldBe(3);
        first.Items.Select(r => r.Id).ShouldBe([ids[2], ids[1]]);
        second.Items.Select(r => r.Id).ShouldBe([ids[0]]);
        var oldest = second.Items.Single();
        (oldest.LastLoss, oldest.LastAccuracy).ShouldBe((0.4, 0.75));
        oldest.Project.ShouldBe("Project alpha");
    }

    [Fact]
    public async Task RunsAsync_SearchAndSortByProject_FiltersAndOrdersInTheQuery()
    {
        var ids = await SeedRunsAsync();

        var ada = await Query.RunsAsync(new PageRequest(0, 10, nameof(RunRow.Project), Descending: true, Search: "ADA@"), CancellationToken.None);
        var beta = await Query.RunsAsync(new PageRequest(0, 10, nameof(RunRow.Id), Descending: false, Search: "beta"), CancellationToken.None);
        var literal = await Query.RunsAsync(new PageRequest(0, 10, Search: "%"), CancellationToken.None);

        ada.Total.ShouldBe(2);
        ada.Items.Select(r => r.Project).ShouldBe(["Project beta", "Project alpha"]);
        beta.Items.Select(r => r.Id).ShouldBe([ids[1], ids[2]]);
        literal.Total.ShouldBe(0);
    }

    [Fact]
    public async Task ModelVersionsAsync_SearchByName_FindsBothVersionsWithTheRewardsParentAndHeldOutAccuracy()
    {
        await using (var db = Database.CreateContext())
        {
            var policy = new ModelVersion("alpha base", ModelKind.Policy, "models/base");
            db.ModelVersions.Add(policy);
            await db.SaveChangesAsync();
            var reward = new ModelVersion("reward of alpha", ModelKind.Reward, "models/reward", policy.Id);
            reward.RecordMetrics("""{"eval_rewards/accuracies": 0.8125}""");
            db.ModelVersions.Add(reward);
            await db.SaveChangesAsync();
        }

        var found = await Query.ModelVersionsAsync(new PageRequest(0, 10, nameof(ModelRow.Name), Search: "alpha"), CancellationToken.None);

        found.Items.Select(m => m.Name).ShouldBe(["alpha base", "reward of alpha"]);
        found.Items[1].Parent.ShouldBe("alpha base");
        found.Items[1].HeldOutAccuracy.ShouldBe(0.8125);
    }

    [Fact]
    public async Task PointsAsync_AfterAPoint_ReadsOnlyTheChartedPointsWrittenSince()
    {
        var ids = await SeedRunsAsync();
        var all = await Query.PointsAsync(ids[0], 0, CancellationToken.None);
        await using (var db = Database.CreateContext())
        {
            db.RunMetrics.AddRange(
                new RunMetric(ids[0], 3, "loss", 0.2, DateTimeOffset.UtcNow),
                new RunMetric(ids[0], 3, "grad_norm", 2.0, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }

        var since = await Query.PointsAsync(ids[0], all.Max(p => p.Id), CancellationToken.None);

        all.Count.ShouldBe(4);
        since.Select(p => (p.Key, p.Step, p.Value)).ShouldBe([("loss", 3, 0.2)]);
        (await Database.CreateContext().RunMetrics.CountAsync(m => m.RunId == ids[0])).ShouldBe(6);
    }
}
