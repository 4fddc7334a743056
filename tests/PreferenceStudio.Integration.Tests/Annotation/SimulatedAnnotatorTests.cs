using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PreferenceStudio.Annotating.Simulation;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>The simulated annotator labels through the real queue and submit, and judges by its hidden taste.</summary>
public sealed class SimulatedAnnotatorTests : IAsyncLifetime
{
    private static readonly TargetWordsPreference LikesFruit = new(["apple", "pear"]);
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>A project with <paramref name="pairs"/> pairwise tasks, each between a fruity and a plain response, and one of each other kind.</summary>
    private async Task<(string Annotator, Dictionary<long, int> FruityResponse)> SetUpAsync(int pairs)
    {
        await using var db = _database.CreateContext();
        var project = new Project("Simulated", "sim", FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Span);
        project.ConfigureAssignment(1, TimeSpan.FromMinutes(30), 0, false);
        project.AddSpanLabel("error", "Error", "Wrong");
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var prompts = Enumerable.Range(0, pairs).Select(i =>
        {
            var prompt = new Prompt(project.Id, [new ChatTurn("user", $"Question {i}?")], externalId: $"q{i}");
            prompt.AddResponse("An apple and a pear, and one more apple.", "m");
            prompt.AddResponse("Nothing to say here.", "m");
            prompt.AddResponse("Just a pear.", "m");
            return prompt;
        }).ToList();
        db.Prompts.AddRange(prompts);
        await db.SaveChangesAsync();
        var fruity = new Dictionary<long, int>();
        foreach (var prompt in prompts)
        {
            var ids = prompt.Responses.Select(r => r.Id).ToArray();
            var task = new AnnotationTask(project, prompt.Id, TaskKind.Pairwise, [ids[1], ids[0]]);
            db.Tasks.Add(task);
            await db.SaveChangesAsync();
            fruity[task.Id] = ids[0];
        }
        db.Tasks.Add(new AnnotationTask(project, prompts[0].Id, TaskKind.Ranking, prompts[0].Responses.Select(r => r.Id).ToArray()));
        db.Tasks.Add(new AnnotationTask(project, prompts[0].Id, TaskKind.Span, [prompts[0].Responses[0].Id]));
        await db.SaveChangesAsync();
        return ((await Seed.UserAsync(db, "simulated@test.local")).Id, fruity);
    }

    private SimulatedAnnotator Annotator(string id, double temperature, int seed = 7) =>
        new(_database.ContextFactory(), TimeProvider.System, NullLoggerFactory.Instance, new BradleyTerryJudge(LikesFruit, temperature, seed), id);

    [Fact]
    public async Task LabelAsync_SharpTaste_LabelsEveryPreferenceTaskThroughTheQueueAndPicksTheFruityResponse()
    {
        var (me, fruity) = await SetUpAsync(pairs: 12);

        var sitting = await Annotator(me, temperature: 0.05).LabelAsync("sim");

        sitting.ShouldBe(new SimulatedSitting(Pairwise: 12, Rankings: 1, Skipped: 1));
        await using var db = _database.CreateContext();
        var labels = await db.PairwiseAnnotations.AsNoTracking().ToListAsync();
        labels.Count.ShouldBe(12);
        labels.ShouldAllBe(l => l.ChosenRejected!.Value.Chosen == fruity[l.TaskId]);
        // Three or more words apart at T = 0.05: the judge is sure, so every choice is "much better".
        labels.ShouldAllBe(l => l.Strength == 2);
        var ranking = await db.RankingAnnotations.AsNoTracking().SingleAsync();
        ranking.Entries.OrderBy(e => e.Rank).Select(e => e.ResponseId).First().ShouldBe(fruity.Values.Min());
        (await db.Tasks.CountAsync(t => t.Kind != TaskKind.Span && t.State == TaskState.Complete)).ShouldBe(13);
        (await db.Assignments.CountAsync(a => a.State == AssignmentState.Skipped)).ShouldBe(1);
    }

    [Fact]
    public async Task LabelAsync_Limit_StopsAfterThatManyLabels()
    {
        var (me, _) = await SetUpAsync(pairs: 5);

        var sitting = await Annotator(me, temperature: 1).LabelAsync("sim", limit: 3);

        sitting.Labels.ShouldBe(3);
        await using var db = _database.CreateContext();
        (await db.Annotations.CountAsync()).ShouldBe(3);
    }

    [Fact]
    public void Prefers_ManyDraws_FollowsTheBradleyTerryProbability()
    {
        // Scores 3 and 0 at T = 2: P = σ(1.5) = 0.8176.
        var judge = new BradleyTerryJudge(LikesFruit, temperature: 2, seed: 1);
        const string A = "apple apple pear", B = "water";

        var share = Enumerable.Range(0, 20_000).Count(_ => judge.Prefers(A, B)) / 20_000.0;

        judge.Probability(A, B).ShouldBe(1 / (1 + Math.Exp(-1.5)), 1e-12);
        share.ShouldBe(0.8176, 0.01);
        judge.BayesAccuracy([(A, B), (B, A), ("pear", "pear")]).ShouldBe((0.8176 + 0.8176 + 0.5) / 3, 1e-3);
    }

    [Fact]
    public void Rank_ManyDraws_PutsEachFirstAsOftenAsItsSoftmaxShare()
    {
        // Plackett–Luce: P(first) = exp(s/T) / Σ exp(s/T); scores 2, 1, 0 at T = 1.
        var judge = new BradleyTerryJudge(LikesFruit, temperature: 1, seed: 3);
        string[] texts = ["apple pear", "apple", "none"];
        var firsts = new int[3];

        for (var i = 0; i < 20_000; i++)
            firsts[judge.Rank(texts)[0]]++;

        var z = Math.Exp(2) + Math.Exp(1) + 1;
        (firsts[0] / 20_000.0).ShouldBe(Math.Exp(2) / z, 0.012);
        (firsts[2] / 20_000.0).ShouldBe(1 / z, 0.012);
    }

    [Theory]
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(50, 100, 0.4038, 0.5962)]
    public void Interval_KnownCounts_IsTheWilsonInterval(int wins, int judged, double low, double high)
    {
        var (l, h) = new WinRate(wins, judged).Interval();

        l.ShouldBe(low, 1e-4);
        h.ShouldBe(high, 1e-4);
    }

    [Fact]
    public void Words_Punctuation_SplitsOnAnythingButLettersAndDigits()
    {
        TargetWordsPreference.Words("Apple, PEAR! 3apples").ShouldBe(["apple", "pear", "3apples"]);
        LikesFruit.Score("Apple, PEAR! apple?").ShouldBe(3);
        new TargetLengthPreference(4, scale: 2).Score("one two three four five six").ShouldBe(-1);
    }
}
