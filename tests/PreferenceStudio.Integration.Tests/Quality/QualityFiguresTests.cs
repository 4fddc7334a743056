using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Quality;
using Label = PreferenceStudio.Core.Annotations.Annotation;

namespace PreferenceStudio.Integration.Tests.Quality;

/// <summary>The figures computed in PostgreSQL are those of the labels counted one by one, and stay so while labels arrive.</summary>
public class QualityFiguresTests : IAsyncLifetime
{
    private TestDatabase _database = default!;
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _database.DisposeAsync();

    private sealed record Fixture(int ProjectId, List<string> Annotators, List<AnnotationTask> Pairwise, List<AnnotationTask> Ranking,
        List<AnnotationTask> Principle, List<AnnotationTask> Span, List<int> Principles);

    private static async Task<Fixture> ProjectAsync(PreferenceStudioDbContext db, int pairwiseTasks, int annotators, string slug = "q")
    {
        var project = new Project("Quality " + slug, slug, FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Span | FeedbackKinds.Principle);
        project.ConfigureAssignment(Project.MaxOverlap, TimeSpan.FromMinutes(30), 0);
        project.AddPrinciple("factual", "No factual errors.");
        project.AddPrinciple("polite", "Polite.");
        project.AddSpanLabel("error", "Error", "An error");
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var users = new List<string>();
        for (var i = 0; i < annotators; i++)
            users.Add((await Seed.UserAsync(db, $"{slug}-annotator{i}@x")).Id);
        var prompts = Enumerable.Range(0, pairwiseTasks + 30).Select(i =>
        {
            var prompt = new Prompt(project.Id, [new ChatTurn("user", $"Question {i}?")], $"{slug}{i}");
            prompt.AddResponse($"A {i}", "m-a");
            prompt.AddResponse($"B {i}", "m-b");
            prompt.AddResponse($"C {i}", "m-c");
            return prompt;
        }).ToList();
        db.Prompts.AddRange(prompts);
        await db.SaveChangesAsync();
        List<AnnotationTask> Tasks(IEnumerable<Prompt> of, TaskKind kind, int responses) =>
            of.Select(p => new AnnotationTask(project, p.Id, kind, p.Responses.Take(responses).Select(r => r.Id).ToList())).ToList();
        var pairwise = Tasks(prompts.Take(pairwiseTasks), TaskKind.Pairwise, 2);
        var ranking = Tasks(prompts.Skip(pairwiseTasks).Take(12), TaskKind.Ranking, 3);
        var principle = Tasks(prompts.Skip(pairwiseTasks + 12).Take(12), TaskKind.Principle, 3);
        var span = Tasks(prompts.Skip(pairwiseTasks + 24), TaskKind.Span, 2);
        db.Tasks.AddRange([.. pairwise, .. ranking, .. principle, .. span]);
        await db.SaveChangesAsync();
        return new Fixture(project.Id, users, pairwise, ranking, principle, span, project.Principles.Select(p => p.Id).ToList());
    }

    private static AnnotationContext Context(AnnotationTask task, string annotator, Random random) =>
        new(task.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromMilliseconds(random.Next(1, 90_000)),
            task.Responses.Select(r => r.ResponseId).ToList(), null, DateTimeOffset.UtcNow.AddDays(-random.Next(0, 40)).AddMinutes(-random.Next(0, 1440)));

    private static PairwiseAnnotation Pairwise(AnnotationTask task, string annotator, Random random)
    {
        var (a, b) = (task.Responses[0].ResponseId, task.Responses[1].ResponseId);
        if (random.Next(2) == 0)
            (a, b) = (b, a);
        // Mostly agreeing on the task's side, with ties and the odd dissent.
        var lean = task.Id % 2 == 0 ? 1 : -1;
        var preference = random.Next(5) switch { 0 => 0, 1 => -lean, _ => lean * random.Next(1, 3) };
        return new PairwiseAnnotation(Context(task, annotator, random), a, b, (PairwisePreference)(a < b ? preference : -preference), random.Next(20) == 0);
    }

    private static Label LabelFor(Fixture f, AnnotationTask task, string annotator, Random random)
    {
        var ids = task.Responses.Select(r => r.ResponseId).ToList();
        switch (task.Kind)
        {
            case TaskKind.Pairwise:
                return Pairwise(task, annotator, random);
            case TaskKind.Ranking:
                var ranks = ids.Select(_ => random.Next(1, ids.Count + 1)).ToList();
                var best = ranks.Min();
                return new RankingAnnotation(Context(task, annotator, random), ids.Select((id, i) => new RankingEntry(id, ranks[i] - best + 1)).ToList(), tiesAllowed: true);
            case TaskKind.Principle:
                return new PrincipleAnnotation(Context(task, annotator, random),
                    ids.SelectMany(id => f.Principles.Select(p => new PrincipleVerdict(id, p, (Verdict)random.Next(3), null))).ToList());
            default:
                return new SpanAnnotation(Context(task, annotator, random), [], []);
        }
    }

    /// <summary>Every task labelled by 0 to 6 annotators, a quarter of the labels revised once or twice.</summary>
    private static async Task LabelAsync(PreferenceStudioDbContext db, Fixture f, Random random)
    {
        var current = new List<Label>();
        foreach (var task in f.Pairwise.Concat(f.Ranking).Concat(f.Principle).Concat(f.Span))
            foreach (var annotator in f.Annotators.OrderBy(_ => random.Next()).Take(random.Next(0, 7)))
                current.Add(LabelFor(f, task, annotator, random));
        db.Annotations.AddRange(current);
        await db.SaveChangesAsync();
        for (var round = 0; round < 2; round++)
        {
            var revised = current.Where(_ => random.Next(4) == 0).ToList();
            foreach (var old in revised)
            {
                var task = f.Pairwise.Concat(f.Ranking).Concat(f.Principle).Concat(f.Span).Single(t => t.Id == old.TaskId);
                var next = LabelFor(f, task, old.AnnotatorId, random);
                old.SupersedeWith(next);
                db.Annotations.Add(next);
                current[current.IndexOf(old)] = next;
            }
            await db.SaveChangesAsync();
        }
    }

    private static void ShouldMatch(ProjectQuality actual, ProjectQuality expected)
    {
        actual.Kinds.Count.ShouldBe(expected.Kinds.Count);
        foreach (var (a, e) in actual.Kinds.Zip(expected.Kinds))
        {
            (a.Kind, a.Labels, a.UnitsLabelledTwice, a.Metric, a.What).ShouldBe((e.Kind, e.Labels, e.UnitsLabelledTwice, e.Metric, e.What));
            if (e.Alpha is null)
                a.Alpha.ShouldBeNull();
            else
                a.Alpha!.Value.ShouldBe(e.Alpha.Value, 1e-12, $"alpha of {e.Kind}");
        }
        actual.Annotators.OrderBy(a => a.Name).ToList().ShouldBe(expected.Annotators.OrderBy(a => a.Name).ToList());
        actual.Annotators.Select(a => a.Labels).ShouldBe(expected.Annotators.Select(a => a.Labels));
        actual.LabelsPerDay.ShouldBe(expected.LabelsPerDay);
        actual.LabelsByKind.ShouldBe(expected.LabelsByKind);
    }

    private async Task<ProjectQuality> SqlAsync(int projectId)
    {
        await using var db = _database.CreateContext();
        return (await QualityFigures.ComputeAsync(db, projectId, Today, CancellationToken.None)).Figures;
    }

    private async Task<ProjectQuality> ReferenceAsync(int projectId)
    {
        await using var db = _database.CreateContext();
        return await InMemoryQuality.ComputeAsync(db, projectId, Today);
    }

    [Fact]
    public async Task ComputeAsync_RevisionsTiesAndUnevenOverlap_EqualsLabelsCountedOneByOne()
    {
        Fixture f;
        await using (var db = _database.CreateContext())
        {
            f = await ProjectAsync(db, pairwiseTasks: 60, annotators: 8);
            await LabelAsync(db, f, new Random(11));
            var other = await ProjectAsync(db, pairwiseTasks: 5, annotators: 2, slug: "other");
            await LabelAsync(db, other, new Random(12));
            (await db.Annotations.CountAsync(a => a.SupersededAt != null)).ShouldBeGreaterThan(50);
        }

        var expected = await ReferenceAsync(f.ProjectId);
        var actual = await SqlAsync(f.ProjectId);

        expected.Kinds.ShouldAllBe(k => k.Alpha != null && k.UnitsLabelledTwice > 0);
        expected.Annotators.Count.ShouldBe(8);
        expected.Annotators.ShouldContain(a => a.Labels % 2 == 0); // the median of an even count: the mean of the middle two
        expected.LabelsPerDay.Sum(d => d.Labels).ShouldBeLessThan(expected.LabelsByKind.Sum(k => k.Labels)); // some older than 30 days
        ShouldMatch(actual, expected);
    }

    [Fact]
    public async Task ComputeAsync_NoLabels_MatchesTheEmptyReference()
    {
        int projectId;
        await using (var db = _database.CreateContext())
            projectId = (await ProjectAsync(db, pairwiseTasks: 3, annotators: 2)).ProjectId;

        var actual = await SqlAsync(projectId);

        actual.Kinds.ShouldAllBe(k => k.Alpha == null && k.Labels == 0);
        ShouldMatch(actual, await ReferenceAsync(projectId));
    }

    /// <summary>
    /// Writers add pairs of labels on fresh tasks (both in one transaction), revise labels and store late ones dated
    /// days back, while the figures are computed again and again. Every task has two labels in any committed state, so
    /// figures read from one moment always show labels = 2 × units labelled twice = pairs compared; statements that
    /// each saw a different moment would not. Once the writers stop, the figures equal the reference.
    /// </summary>
    [Fact]
    public async Task ComputeAsync_WhileLabelsArriveAndAreRevised_EveryResultDescribesOneMoment()
    {
        Fixture f;
        await using (var db = _database.CreateContext())
            f = await ProjectAsync(db, pairwiseTasks: 400, annotators: 6);
        var next = -1;

        async Task WriterAsync(int seed)
        {
            var random = new Random(seed);
            while (true)
            {
                await using var db = _database.CreateContext();
                var i = Interlocked.Increment(ref next);
                if (i >= f.Pairwise.Count)
                    return;
                var task = f.Pairwise[i];
                var who = f.Annotators.OrderBy(_ => random.Next()).Take(2).ToList();
                db.Annotations.AddRange(who.Select(w => Pairwise(task, w, random)));
                await db.SaveChangesAsync();
                // Revise one of the labels stored so far (a re-label replaces the old one).
                var old = await db.Annotations.Where(a => a.SupersededAt == null && a.Kind == TaskKind.Pairwise)
                    .OrderBy(a => a.Id).Skip(random.Next(0, 2 * (i + 1))).FirstOrDefaultAsync();
                if (old is not null)
                {
                    var revision = Pairwise(f.Pairwise.Single(t => t.Id == old.TaskId), old.AnnotatorId, random);
                    old.SupersedeWith(revision);
                    db.Annotations.Add(revision);
                    try
                    {
                        await db.SaveChangesAsync();
                    }
                    catch (DbUpdateException)
                    {
                        // Another writer revised the same label first; the unique current-version index refused ours.
                    }
                }
            }
        }

        var writers = Enumerable.Range(0, 4).Select(s => Task.Run(() => WriterAsync(s))).ToList();
        var checks = 0;
        while (writers.Any(w => !w.IsCompleted))
        {
            var figures = await SqlAsync(f.ProjectId);
            var pairwise = figures.Kinds.Single(k => k.Kind == "Pairwise");
            pairwise.Labels.ShouldBe(2 * pairwise.UnitsLabelledTwice);
            figures.Annotators.Sum(a => a.PairsCompared).ShouldBe(pairwise.Labels);
            figures.Annotators.Sum(a => a.Labels).ShouldBe(pairwise.Labels);
            checks++;
        }
        await Task.WhenAll(writers);

        checks.ShouldBeGreaterThan(2);
        await using (var db = _database.CreateContext())
            (await db.Annotations.CountAsync(a => a.SupersededAt != null)).ShouldBeGreaterThan(10);
        var final = await SqlAsync(f.ProjectId);
        final.Kinds[0].Labels.ShouldBe(2 * f.Pairwise.Count);
        ShouldMatch(final, await ReferenceAsync(f.ProjectId));
    }

    private ServiceProvider Services() =>
        new ServiceCollection()
            .AddDbContext<PreferenceStudioDbContext>(o => o.UsePreferenceStudioDatabase(_database.ConnectionString))
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddSingleton<QualitySnapshots>()
            .BuildServiceProvider();

    private async Task StoreSnapshotAsync(int projectId, DateTimeOffset computedAt, int computeMs, ProjectQuality figures)
    {
        await using var db = _database.CreateContext();
        await db.QualitySnapshots.Where(s => s.ProjectId == projectId).ExecuteDeleteAsync();
        db.QualitySnapshots.Add(new QualitySnapshot
        {
            ProjectId = projectId, ComputedAt = computedAt, ComputeMs = computeMs, FiguresJson = System.Text.Json.JsonSerializer.Serialize(figures),
        });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task ViewAsync_SlowProject_ServesTheSnapshotAndRecomputesOnlyOnceItIsOld()
    {
        Fixture f;
        await using (var db = _database.CreateContext())
        {
            f = await ProjectAsync(db, pairwiseTasks: 20, annotators: 4);
            await LabelAsync(db, f, new Random(3));
        }
        await using var services = Services();
        var snapshots = services.GetRequiredService<QualitySnapshots>();
        var stale = new ProjectQuality([], [], [], [new KindLabels("Pairwise", 1)]);
        var took = TimeSpan.FromSeconds(30);

        // A snapshot that took 30 s to compute and is one minute old: served as it is, nothing recomputed.
        var recent = DateTimeOffset.UtcNow.AddMinutes(-1);
        await StoreSnapshotAsync(f.ProjectId, recent, (int)took.TotalMilliseconds, stale);
        var young = await snapshots.ViewAsync(f.ProjectId, CancellationToken.None);
        young.Refreshing.ShouldBeNull();
        young.Figures!.LabelsByKind.ShouldBe(stale.LabelsByKind);
        young.AsOf!.Value.ShouldBe(recent, TimeSpan.FromMilliseconds(1));

        // Older than twenty computations: still served at once, and recomputed behind it.
        var old = DateTimeOffset.UtcNow - QualitySnapshots.MaxAge(took) - TimeSpan.FromMinutes(1);
        await StoreSnapshotAsync(f.ProjectId, old, (int)took.TotalMilliseconds, stale);
        var aged = await snapshots.ViewAsync(f.ProjectId, CancellationToken.None);
        aged.Figures!.LabelsByKind.ShouldBe(stale.LabelsByKind);
        var fresh = await aged.Refreshing.ShouldNotBeNull();
        ShouldMatch(fresh.Figures, await ReferenceAsync(f.ProjectId));

        // The recomputation is stored; it was quick, so from now on every view computes afresh.
        var after = await snapshots.ViewAsync(f.ProjectId, CancellationToken.None);
        after.Refreshing.ShouldBeNull();
        after.AsOf!.Value.ShouldBeGreaterThan(old);
        ShouldMatch(after.Figures!, await ReferenceAsync(f.ProjectId));
    }

    [Fact]
    public async Task Refresh_OlderComputationFinishingAfterANewerOne_LeavesTheNewerSnapshot()
    {
        Fixture f;
        await using (var db = _database.CreateContext())
            f = await ProjectAsync(db, pairwiseTasks: 5, annotators: 2);
        await using var services = Services();
        var newer = DateTimeOffset.UtcNow.AddHours(1);
        var marker = new ProjectQuality([], [], [], [new KindLabels("Pairwise", 12345)]);
        await StoreSnapshotAsync(f.ProjectId, newer, 40_000, marker);

        var computed = await services.GetRequiredService<QualitySnapshots>().Refresh(f.ProjectId);

        computed.AsOf.ShouldBeLessThan(newer);
        await using var check = _database.CreateContext();
        var stored = await check.QualitySnapshots.SingleAsync(s => s.ProjectId == f.ProjectId);
        stored.ComputedAt.ShouldBe(newer, TimeSpan.FromMilliseconds(1));
        stored.FiguresJson.ShouldContain("12345");
    }

    [Fact]
    public async Task ViewAsync_FirstViewOfAProject_ComputesAndStoresTheFigures()
    {
        Fixture f;
        await using (var db = _database.CreateContext())
        {
            f = await ProjectAsync(db, pairwiseTasks: 10, annotators: 3);
            await LabelAsync(db, f, new Random(5));
        }
        await using var services = Services();

        var view = await services.GetRequiredService<QualitySnapshots>().ViewAsync(f.ProjectId, CancellationToken.None);

        view.Refreshing.ShouldBeNull();
        ShouldMatch(view.Figures!, await ReferenceAsync(f.ProjectId));
        await using var check = _database.CreateContext();
        (await check.QualitySnapshots.SingleAsync(s => s.ProjectId == f.ProjectId)).ComputedAt.ShouldBe(view.AsOf!.Value, TimeSpan.FromMilliseconds(1));
    }
}
