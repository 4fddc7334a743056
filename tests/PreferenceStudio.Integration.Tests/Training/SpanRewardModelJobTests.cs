using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>Span labels in the database become a token-level (span) reward model on a worker, with per-category results.</summary>
public class SpanRewardModelJobTests : TrainingJobTest
{
    private static readonly SpanRewardRunConfig Quick = new()
    {
        Trainer = new SpanRewardConfig { LearningRate = 1e-3, BatchSize = 2, Epochs = 3, MaxLength = 256, Seed = 7 },
        EvalShare = 0.25,
    };

    private async Task<int> LabelAsync(int count = 8)
    {
        await using var db = Database.CreateContext();
        return await DemoFeedback.MarkSpansAsync(db, ProjectId, count);
    }

    [Fact]
    public async Task LaunchSpanRewardModel_WorkerRunning_RegistersASpanModelWithItsTaxonomyLabelsSeenAndPerCategoryMetrics()
    {
        var labels = await LabelAsync();
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: Store);

        var launched = await LaunchedAsync(l => l.LaunchSpanRewardModelAsync(ProjectId, BaseModelId, Quick, "researcher", CancellationToken.None));
        var run = await WaitForEndAsync(launched.Id);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Kind.ShouldBe(TrainingKind.SpanRewardModel);
        run.TotalSteps.ShouldBe(3 * 3);  // 6 training responses (2 of 8 held out), 2 a step, 3 epochs
        await using var db = Database.CreateContext();
        var stepKeys = await db.RunMetrics.Where(m => m.RunId == run.Id && m.Step == 1).Select(m => m.Key).ToListAsync();
        stepKeys.ShouldContain("loss");
        stepKeys.ShouldContain("flagged_share");
        var version = await db.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        (version.Kind, version.Origin, version.ParentId, version.TrainingRunId).ShouldBe((ModelKind.SpanReward, ModelOrigin.SpanRewardRun, BaseModelId, run.Id));
        version.LabelsSeen.ShouldBe(labels);
        version.NewestLabelAt.ShouldBe(await db.Annotations.MaxAsync(a => a.CreatedAt));

        // Held out: precision, recall and F1 of every category of the taxonomy, and the macro F1, on the version and the run.
        var categories = await db.SpanLabels.Where(l => l.ProjectId == ProjectId).OrderBy(l => l.Order).Select(l => l.Key).ToListAsync();
        categories.Count.ShouldBe(4);
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(version.MetricsJson)!;
        foreach (var category in categories)
            foreach (var score in new[] { "precision", "recall", "f1" })
                metrics.ShouldContainKey($"eval_{category}/{score}");
        metrics["eval_macro_f1"].ShouldBe(categories.Average(c => metrics[$"eval_{c}/f1"]), 1e-9);
        (await db.RunMetrics.CountAsync(m => m.RunId == run.Id && m.Key.EndsWith("/f1") && m.Step == run.TotalSteps)).ShouldBe(categories.Count);

        // The folder loads on its own as a span model of the project's taxonomy, in the project's order, with its tokenizer.
        var folder = Path.Combine(Store, version.CheckpointPath);
        using var model = SpanRewardModel.FromPretrained(folder);
        model.Categories.ShouldBe(categories);
        File.Exists(Path.Combine(folder, "tokenizer.json")).ShouldBeTrue();
        var snapshot = SpanSnapshotCounts.FromJson(await File.ReadAllTextAsync(Path.Combine(Store, "runs", run.Id.ToString(CultureInfo.InvariantCulture), SpanRewardModelJob.CountsFile)));
        (snapshot.Counts.Examples, snapshot.Counts.WithoutErrors, snapshot.Categories.Count).ShouldBe((8, 3, 4));
    }

    [Fact]
    public async Task LaunchSpanRewardModel_OneLabelledResponse_RunFailsNamingWhatToLabel()
    {
        await LabelAsync(count: 1);
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: Store);

        var launched = await LaunchedAsync(l => l.LaunchSpanRewardModelAsync(ProjectId, BaseModelId, Quick, "researcher", CancellationToken.None));
        var run = await WaitForEndAsync(launched.Id);

        run.State.ShouldBe(RunState.Failed);
        run.Error!.ShouldContain("1 span-labelled response(s); a span reward model needs at least 2. Label span tasks first");
        (await JobHistory.WaitForStateAsync(Storage, run.JobId!, ["Failed"], TimeSpan.FromSeconds(30))).ShouldBe("Failed");
        await using var db = Database.CreateContext();
        (await db.ModelVersions.AnyAsync(m => m.TrainingRunId == run.Id)).ShouldBeFalse();
    }

    [Fact]
    public async Task LaunchSpanRewardModel_ClassWeightsNotOnePerClass_NamesTheFieldAndQueuesNothing()
    {
        var config = Quick with { Trainer = Quick.Trainer with { ClassWeights = [1, 5] } };

        await using var scope = App.Services.CreateAsyncScope();
        var (run, errors) = await scope.ServiceProvider.GetRequiredService<TrainingLauncher>()
            .LaunchSpanRewardModelAsync(ProjectId, BaseModelId, config, "researcher", CancellationToken.None);

        run.ShouldBeNull();
        errors.ShouldHaveSingleItem().ShouldStartWith("class_weights: give 5 weights");
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.AnyAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task SpanRewardModelRun_WorkerProcessKilledMidRun_AnotherNodeResumesFromTheCheckpoint()
    {
        await LabelAsync();
        var run = await KillMidRunAndResumeAsync(l => l.LaunchSpanRewardModelAsync(ProjectId, BaseModelId,
            Quick with { Trainer = Quick.Trainer with { Epochs = 40 }, SaveSteps = 2 }, "researcher", CancellationToken.None), saveSteps: 2);

        await using var db = Database.CreateContext();
        (await db.ModelVersions.SingleAsync(m => m.TrainingRunId == run.Id)).Kind.ShouldBe(ModelKind.SpanReward);
    }
}
