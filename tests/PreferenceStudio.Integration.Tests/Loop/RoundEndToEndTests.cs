using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Web.Seeding;
using Xunit.Abstractions;

namespace PreferenceStudio.Integration.Tests.Loop;

/// <summary>A whole round on the cluster: half its pairs from a (simulated) person, the rest ranked by the reward model.</summary>
public class RoundEndToEndTests(ITestOutputHelper output) : LoopTest
{
    [Fact]
    public async Task Round_HalfThePairsForPeople_TasksLabelledRestRankedNewPolicyRegisteredWithItsLineage()
    {
        await LabelSeedTasksAsync();
        await SaveLoopAsync(Settings(humanShare: 0.5));
        await using var worker = await StartWorkerAsync();
        var started = await StartRoundAsync();

        // The round hands two of its four prompts to people and waits.
        var waiting = await WaitForRoundAsync(started.Id, [RoundState.WaitingForLabels, RoundState.Failed, RoundState.Succeeded]);
        waiting.State.ShouldBe(RoundState.WaitingForLabels, await DescribeRoundAsync(started.Id));
        waiting.HumanTasks.ShouldBe(2);
        var tasks = await RoundTasksAsync(started.Id);
        tasks.Count.ShouldBe(2);
        tasks.ShouldAllBe(t => t.Priority == new LoopOptions().HumanTaskPriority && t.Kind == TaskKind.Pairwise);

        // A simulated annotator labels them through the queue and submit, as a person would (they come first).
        var annotator = await AnnotatorIdAsync();
        var simulated = new SimulatedAnnotator(Database.ContextFactory(), TimeProvider.System, NullLoggerFactory.Instance,
            new BradleyTerryJudge(new TargetLengthPreference(5), temperature: 0.5, seed: 3), annotator);
        for (var i = 0; i < 20 && await LabelledAsync(tasks.Select(t => t.Id)) < tasks.Count; i++)
            await simulated.LabelAsync(DemoSeeder.ProjectSlug, limit: 1);
        (await LabelledAsync(tasks.Select(t => t.Id))).ShouldBe(2);

        var round = await WaitForRoundAsync(started.Id, [RoundState.Succeeded, RoundState.Failed, RoundState.Cancelled]);
        round.State.ShouldBe(RoundState.Succeeded, await DescribeRoundAsync(round.Id));
        output.WriteLine(await DescribeRoundAsync(round.Id));  // each stage's summary: what it made, and its speed
        round.Stages.Select(s => s.Kind).ShouldBe(Enum.GetValues<RoundStageKind>());
        round.Stages.ShouldAllBe(s => s.IsFinished && s.Summary != null);
        (round.HumanTasks, round.HumanLabelled, round.HumanPairs, round.RewardModelPairs).ShouldBe((2, 2, 2, 2));
        round.RewardModelId.ShouldNotBeNull();
        round.RewardAccuracy.ShouldNotBeNull();
        round.WinRateVsPrevious.ShouldNotBeNull();
        round.WinRateVsBase.ShouldBe(round.WinRateVsPrevious);  // round 1 starts from the base
        using (var metrics = JsonDocument.Parse(round.MetricsJson))
        {
            metrics.RootElement.GetProperty("judge").GetString().ShouldBe(new RewardModelJudge(null!).Description);
            metrics.RootElement.GetProperty("vs_base").GetProperty("judged").GetInt32().ShouldBe(3);
        }

        await using var db = Database.CreateContext();
        var samples = await db.Responses.Where(r => r.Source == $"round 1 · policy {BaseId}").ToListAsync();
        samples.Count.ShouldBe(4 * 2);
        samples.ShouldAllBe(s => s.ModelVersionId == BaseId);

        // The new policy: made by the round, from the base, held to it, and it knows the labels behind its pairs.
        var policy = await db.ModelVersions.SingleAsync(m => m.Id == round.OutputPolicyId);
        var rewardModel = await db.ModelVersions.SingleAsync(m => m.Id == round.RewardModelId);
        var dpoRun = await db.TrainingRuns.SingleAsync(r => r.RoundId == round.Id && r.Kind == TrainingKind.Dpo);
        (policy.Kind, policy.Origin, policy.ParentId, policy.ReferenceModelId, policy.RoundId, policy.TrainingRunId)
            .ShouldBe((ModelKind.Policy, ModelOrigin.Round, BaseId, BaseId, round.Id, dpoRun.Id));
        policy.Name.ShouldBe($"policy of round 1 of {DemoSeeder.ProjectSlug}");
        rewardModel.LabelsSeen.ShouldBe(3);
        policy.LabelsSeen.ShouldBe(3 + 2);
        policy.NewestLabelAt.ShouldBe(await db.Annotations.Where(a => tasks.Select(t => t.Id).Contains(a.TaskId)).MaxAsync(a => a.CreatedAt));
        (await db.LoopSettings.SingleAsync(s => s.ProjectId == ProjectId)).PolicyId.ShouldBe(policy.Id);
        (await db.ResponseScores.CountAsync(s => s.RewardModelId == rewardModel.Id)).ShouldBe(8);
        round.Stages.Single(s => s.Kind == RoundStageKind.Dpo).RunId.ShouldBe(dpoRun.Id);
        round.Stages.Single(s => s.Kind == RoundStageKind.RewardModel).RunId.ShouldBe(rewardModel.TrainingRunId);

        // The pairs the DPO run trained on are the round's, each saying who ordered it.
        var pairsFile = Path.Combine(Store, RoundFiles.Pairs(round.Id));
        var rows = (await File.ReadAllLinesAsync(pairsFile)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        rows.Select(r => r.GetProperty("source").GetString()).Order().ShouldBe(["human", "human", "reward_model", "reward_model"]);
        rows.ShouldAllBe(r => r.GetProperty("round").GetInt32() == 1);
        rows.Where(r => r.GetProperty("source").GetString() == "reward_model")
            .ShouldAllBe(r => r.GetProperty("chosen_score").GetDouble() >= r.GetProperty("rejected_score").GetDouble());
        (await File.ReadAllTextAsync(Path.Combine(Store, "runs", dpoRun.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "dataset.jsonl")))
            .ShouldBe(await File.ReadAllTextAsync(pairsFile));

        // The round's reward model scores every response of the project on a worker, for the pages to show.
        string jobId;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var (queued, errors) = await scope.ServiceProvider.GetRequiredService<ScoringLauncher>().ScoreProjectAsync(ProjectId, rewardModel.Id, CancellationToken.None);
            errors.ShouldBeEmpty();
            jobId = queued!;
        }
        await Jobs.JobHistory.WaitForSuccessAsync(Storage, jobId, TimeSpan.FromSeconds(90));
        var responses = await db.Responses.CountAsync(r => r.Prompt!.ProjectId == ProjectId);
        (await db.ResponseScores.CountAsync(s => s.RewardModelId == rewardModel.Id)).ShouldBe(responses);
    }

    [Fact]
    public async Task Round_DeadlinePassesWithTasksUnlabelled_TheRewardModelRanksTheirPromptsToo()
    {
        await LabelSeedTasksAsync();
        await SaveLoopAsync(Settings(humanShare: 0.5, deadline: TimeSpan.Zero));
        await using var worker = await StartWorkerAsync();
        var started = await StartRoundAsync();

        var round = await WaitForRoundAsync(started.Id, [RoundState.Succeeded, RoundState.Failed, RoundState.Cancelled]);

        round.State.ShouldBe(RoundState.Succeeded, await DescribeRoundAsync(round.Id));
        (round.HumanTasks, round.HumanLabelled, round.HumanPairs, round.RewardModelPairs).ShouldBe((2, 0, 0, 4));
        // The tasks stay with people: their labels count for the next round's reward model.
        (await RoundTasksAsync(round.Id)).Count.ShouldBe(2);
        (await File.ReadAllLinesAsync(Path.Combine(Store, RoundFiles.Pairs(round.Id))))
            .ShouldAllBe(l => JsonDocument.Parse(l, default).RootElement.GetProperty("source").GetString() == "reward_model");
    }

    [Fact]
    public async Task ScoreProjectAsync_PolicyInsteadOfARewardModel_NamesTheFieldAndQueuesNothing()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var (jobId, errors) = await scope.ServiceProvider.GetRequiredService<ScoringLauncher>().ScoreProjectAsync(ProjectId, BaseId, CancellationToken.None);

        jobId.ShouldBeNull();
        errors.ShouldBe([$"reward_model: model version {BaseId} is a Policy model, not a reward model"]);
    }

    private async Task<List<Core.Tasks.AnnotationTask>> RoundTasksAsync(long roundId)
    {
        await using var db = Database.CreateContext();
        var round = await db.LoopRounds.SingleAsync(r => r.Id == roundId);
        var source = $"round {round.Number} · policy {round.PolicyId}";
        var samples = await db.Responses.Where(r => r.Source == source).Select(r => r.Id).ToListAsync();
        return await db.Tasks.Where(t => t.ProjectId == ProjectId && t.Responses.All(r => samples.Contains(r.ResponseId))).ToListAsync();
    }

    private async Task<int> LabelledAsync(IEnumerable<long> taskIds)
    {
        var ids = taskIds.ToList();
        await using var db = Database.CreateContext();
        return await db.Annotations.Where(a => ids.Contains(a.TaskId) && a.SupersededAt == null).Select(a => a.TaskId).Distinct().CountAsync();
    }

    private async Task<string> AnnotatorIdAsync()
    {
        await using var db = Database.CreateContext();
        return (await db.Users.SingleAsync(u => u.Email == "annotator@demo.local")).Id;
    }
}
