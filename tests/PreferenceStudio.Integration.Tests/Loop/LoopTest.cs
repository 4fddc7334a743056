using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Training;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Loop;

/// <summary>
/// A round of the demo project's loop on a tiny Qwen2 base: the base in a store of the test's own, a few labels so a
/// reward model can train, and the loop's settings small (few prompts, K = 2, few steps) so a round takes seconds.
/// </summary>
public abstract class LoopTest : WebAppTest
{
    protected override TimeSpan Patience => TimeSpan.FromMinutes(3);

    protected string Store { get; } = Path.Combine(Path.GetTempPath(), "ps-loop-" + Guid.NewGuid().ToString("N"));
    protected JobStorage Storage => App.Services.GetRequiredService<JobStorage>();
    protected int ProjectId { get; private set; }
    protected int BaseId { get; private set; }

    protected static readonly RewardRunConfig QuickReward = new()
    {
        Trainer = new RewardConfig { LearningRate = 1e-3, BatchSize = 2, Epochs = 2, MaxLength = 512, Seed = 7 },
        EvalShare = 0.2,
    };

    protected static readonly DpoRunConfig QuickDpo = new()
    {
        Trainer = new DpoConfig { LearningRate = 1e-3, BatchSize = 2, Epochs = 2, MaxLength = 512, Seed = 7 },
        EvalShare = 0,
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        TinyCheckpoints.Create(Path.Combine(Store, "models", "base"), "qwen2");
        await using var db = Database.CreateContext();
        var baseModel = new ModelVersion("tiny base", ModelKind.Policy, "models/base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        BaseId = baseModel.Id;
        ProjectId = (await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug)).Id;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Store))
            Directory.Delete(Store, recursive: true);
    }

    private protected Task<WorkerNode> StartWorkerAsync(string? queues = null) => WorkerNode.StartAsync(Database.ConnectionString, storageRoot: Store, queues: queues);

    /// <summary>Two pairwise labels and a ranking of three on the seeded tasks: five ordered pairs, enough for a reward model.</summary>
    protected async Task LabelSeedTasksAsync()
    {
        await using var db = Database.CreateContext();
        var ann1 = (await db.Users.SingleAsync(u => u.Email == "annotator@demo.local")).Id;
        var ann2 = (await db.Users.SingleAsync(u => u.Email == "annotator2@demo.local")).Id;
        var tasks = await db.Tasks.Where(t => t.ProjectId == ProjectId).OrderBy(t => t.Id).ToListAsync();
        var pairwise = tasks.First(t => t.Kind == TaskKind.Pairwise);
        var ranking = tasks.First(t => t.Kind == TaskKind.Ranking);
        var (a, b) = (pairwise.Responses[0].ResponseId, pairwise.Responses[1].ResponseId);
        var r = ranking.Responses.Select(x => x.ResponseId).ToList();
        AnnotationContext Context(AnnotationTask task, string who, params int[] shown) =>
            new(task.Id, who, null, Guid.NewGuid(), TimeSpan.FromSeconds(10), shown, null, DateTimeOffset.UtcNow);
        db.Annotations.AddRange(
            new PairwiseAnnotation(Context(pairwise, ann1, a, b), a, b, PairwisePreference.AMuchBetter, bothBad: false),
            new PairwiseAnnotation(Context(pairwise, ann2, a, b), a, b, PairwisePreference.ABetter, bothBad: false),
            new RankingAnnotation(Context(ranking, ann1, [.. r]), [new(r[0], 1), new(r[1], 2), new(r[2], 3)], tiesAllowed: false));
        await db.SaveChangesAsync();
    }

    protected static LoopSettingsChange Settings(double humanShare, bool enabled = false, string? cron = null, int? everyNewLabels = null,
        RewardRunConfig? reward = null, DpoRunConfig? dpo = null, TimeSpan? deadline = null) =>
        new(enabled, cron, everyNewLabels, ResponsesPerPrompt: 2, PromptsPerRound: 4, humanShare, deadline ?? TimeSpan.FromMinutes(30), EvalPrompts: 3,
            (reward ?? QuickReward).ToJson(), (dpo ?? QuickDpo).ToJson());

    protected async Task SaveLoopAsync(LoopSettingsChange change)
    {
        await using var scope = App.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<LoopSettingsStore>().SaveAsync(ProjectId, BaseId, change, "researcher", CancellationToken.None))
            .ShouldBeEmpty();
    }

    protected async Task<LoopRound> StartRoundAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var (round, errors) = await scope.ServiceProvider.GetRequiredService<RoundLauncher>().StartAsync(ProjectId, "researcher", CancellationToken.None);
        errors.ShouldBeEmpty();
        return round!;
    }

    protected Task<LoopRound> WaitForRoundAsync(long id, RoundState[] states, TimeSpan? patience = null) =>
        WaitForRoundAsync(id, r => states.Contains(r.State), $"round {id} {string.Join("/", states)}", patience);

    protected Task<LoopRound> WaitForRoundAsync(long id, Expression<Func<LoopRound, bool>> condition, string what, TimeSpan? patience = null) =>
        WaitForAsync(db => db.LoopRounds.AsNoTracking().Where(r => r.Id == id).Where(condition).FirstOrDefaultAsync(), what,
            () => DescribeRoundAsync(id), patience);

    /// <summary>Where the round stands, its stages, and its job's Hangfire history.</summary>
    protected async Task<string> DescribeRoundAsync(long id)
    {
        await using var db = Database.CreateContext();
        var round = await db.LoopRounds.AsNoTracking().SingleAsync(r => r.Id == id);
        var stages = string.Join("\n", round.Stages.Select(s => $"  {s.Kind}: {s.Done}/{s.Total} run {s.RunId} {(s.IsFinished ? "done" : "open")}: {s.Summary}"));
        var runs = string.Join("\n", await db.TrainingRuns.AsNoTracking().Where(r => r.RoundId == id)
            .Select(r => $"  run {r.Id} {r.Kind} {r.State} step {r.Step}/{r.TotalSteps} {r.Error}").ToListAsync());
        var job = round.JobId is null ? "  (no job)" : JobHistory.Describe(Storage, round.JobId);
        return $"Round {id} is {round.State}{(round.Error is null ? "" : $", error: {round.Error}")}\n{stages}\n{runs}\nits job:\n{job}";
    }
}
