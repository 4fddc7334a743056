using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>Principle verdicts in the database become a principle-conditioned reward model on a worker, with per-principle accuracy.</summary>
public class PrincipleRewardModelJobTests : TrainingJobTest
{
    private static readonly PrincipleRewardRunConfig Quick = new()
    {
        Trainer = new PrincipleRewardConfig { LearningRate = 1e-3, BatchSize = 4, Epochs = 2, MaxLength = 512, Seed = 7 },
        EvalShare = 0.25,
    };

    /// <summary>Four principle tasks judged on every demo principle: 23 examples from 4 labels (one verdict "not applicable").</summary>
    private async Task<int> LabelAsync(int tasks = 4)
    {
        await using var db = Database.CreateContext();
        return await DemoFeedback.JudgePrinciplesAsync(db, ProjectId, tasks);
    }

    [Fact]
    public async Task LaunchPrincipleRewardModel_WorkerRunning_RegistersAPrincipleModelWithItsPrinciplesAndPerPrincipleAccuracy()
    {
        var labels = await LabelAsync();
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: Store);

        var launched = await LaunchedAsync(l => l.LaunchPrincipleRewardModelAsync(ProjectId, BaseModelId, Quick, "researcher", CancellationToken.None));
        var run = await WaitForEndAsync(launched.Id);

        run.State.ShouldBe(RunState.Succeeded, run.Error);
        run.Kind.ShouldBe(TrainingKind.PrincipleRewardModel);
        run.TotalSteps.ShouldBe(5 * 2);  // 17 training verdicts (6 of 23 held out), 4 a step, 2 epochs
        await using var db = Database.CreateContext();
        var version = await db.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        (version.Kind, version.Origin, version.ParentId, version.TrainingRunId).ShouldBe((ModelKind.PrincipleReward, ModelOrigin.PrincipleRewardRun, BaseModelId, run.Id));
        version.LabelsSeen.ShouldBe(labels);

        // Held out: the accuracy overall and per principle judged there; the examples per principle add up to the held-out six.
        var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(version.MetricsJson)!;
        metrics.ShouldContainKey("eval_accuracy");
        var principles = await db.Principles.Where(p => p.ProjectId == ProjectId).OrderBy(p => p.Order).Select(p => new PrincipleDefinition(p.Key, p.Text)).ToListAsync();
        var keys = principles.Select(p => p.Key).ToList();
        var perPrinciple = metrics.Keys.Where(k => k.StartsWith("eval_accuracy/", StringComparison.Ordinal)).Select(k => k["eval_accuracy/".Length..]).ToList();
        perPrinciple.ShouldNotBeEmpty();
        perPrinciple.ShouldAllBe(k => keys.Contains(k));
        perPrinciple.Sum(k => metrics[$"eval_examples/{k}"]).ShouldBe(6);
        (await db.RunMetrics.AnyAsync(m => m.RunId == run.Id && m.Key == "eval_accuracy/" + perPrinciple[0])).ShouldBeTrue();

        // The folder keeps the project's principles, keys and texts in order, and loads as a principle model.
        var folder = Path.Combine(Store, version.CheckpointPath);
        PrincipleSet.Read(folder).ShouldBe(principles);
        using var model = PrincipleRewardModel.FromPretrained(folder);
        File.Exists(Path.Combine(folder, "tokenizer.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task LaunchPrincipleRewardModel_NoVerdicts_RunFailsNamingWhatToLabel()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: Store);

        var launched = await LaunchedAsync(l => l.LaunchPrincipleRewardModelAsync(ProjectId, BaseModelId, Quick, "researcher", CancellationToken.None));
        var run = await WaitForEndAsync(launched.Id);

        run.State.ShouldBe(RunState.Failed);
        run.Error!.ShouldContain("0 principle verdict(s) with a yes or no majority; a principle reward model needs at least 2. Label principle tasks first");
        await using var db = Database.CreateContext();
        (await db.ModelVersions.AnyAsync(m => m.TrainingRunId == run.Id)).ShouldBeFalse();
    }

    [Fact]
    public async Task LaunchPrincipleRewardModel_InvalidConfig_NamesEachFieldAndQueuesNothing()
    {
        var config = Quick with { Trainer = Quick.Trainer with { LearningRate = 2, BatchSize = 0 }, EvalShare = 1 };

        var errors = await RefusedAsync(config);

        errors.ShouldContain(e => e.StartsWith("learning_rate ", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("per_device_train_batch_size ", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("eval_share ", StringComparison.Ordinal));
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.AnyAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task PrincipleRewardModelRun_WorkerProcessKilledMidRun_AnotherNodeResumesFromTheCheckpoint()
    {
        await LabelAsync();
        var run = await KillMidRunAndResumeAsync(l => l.LaunchPrincipleRewardModelAsync(ProjectId, BaseModelId,
            Quick with { Trainer = Quick.Trainer with { Epochs = 30 }, SaveSteps = 2 }, "researcher", CancellationToken.None), saveSteps: 2);

        await using var db = Database.CreateContext();
        (await db.ModelVersions.SingleAsync(m => m.TrainingRunId == run.Id)).Kind.ShouldBe(ModelKind.PrincipleReward);
    }

    private async Task<IReadOnlyList<string>> RefusedAsync(PrincipleRewardRunConfig config)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var (run, errors) = await scope.ServiceProvider.GetRequiredService<TrainingLauncher>().LaunchPrincipleRewardModelAsync(ProjectId, BaseModelId, config, "researcher", CancellationToken.None);
        run.ShouldBeNull();
        return errors;
    }
}
