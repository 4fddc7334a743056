using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Integration.Tests.Annotation;
using PreferenceStudio.Jobs.Export;

namespace PreferenceStudio.Integration.Tests.Export;

/// <summary>Labels of each kind in PostgreSQL become the pairs DPO and the TRL export share, with what was left out counted.</summary>
public class PreferencePairSourceTests : QueueFixture
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static AnnotationContext Context(AnnotationTask task, string annotator, DateTimeOffset at) =>
        new(task.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromSeconds(5), [.. task.Responses.Select(r => r.ResponseId)], null, at);

    private async Task AddAsync(params Core.Annotations.Annotation[] labels)
    {
        await using var db = Db();
        db.Annotations.AddRange(labels);
        await db.SaveChangesAsync();
    }

    private async Task<(List<LabelledPair> Pairs, PairCounts Counts)> ReadAsync()
    {
        await using var db = Db();
        var source = new PreferencePairSource(db);
        var pairs = new List<LabelledPair>();
        await foreach (var pair in source.ReadAsync(Project.Id, CancellationToken.None))
            pairs.Add(pair);
        return (pairs, source.Counts);
    }

    private int Principle(string key) => Project.Principles.Single(p => p.Key == key).Id;

    [Fact]
    public async Task ReadAsync_PairwisePreferenceTieAndBothBad_OnePairAndTheOthersCountedAsLeftOut()
    {
        await SetUpAsync(overlap: 3, annotators: 3);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        var (a, b) = (ResponseIds[0], ResponseIds[1]);
        await AddAsync(
            new PairwiseAnnotation(Context(task, Annotators[0], T0), a, b, PairwisePreference.BBetter, bothBad: false),
            new PairwiseAnnotation(Context(task, Annotators[1], T0.AddMinutes(1)), a, b, PairwisePreference.Tie, bothBad: false),
            new PairwiseAnnotation(Context(task, Annotators[2], T0.AddMinutes(2)), a, b, PairwisePreference.AMuchBetter, bothBad: true));

        var (pairs, counts) = await ReadAsync();

        var pair = pairs.ShouldHaveSingleItem();
        (pair.Source, pair.ChosenId, pair.RejectedId, pair.Margin, pair.Weight).ShouldBe((PairSourceKind.Pairwise, b, a, 1, 1.0));
        pair.Chosen.ShouldBe("Soup is warm.");
        pair.Prompt.ShouldHaveSingleItem().Content.ShouldBe("Tell me about food.");
        pair.TaskIds.ShouldBe([task.Id]);
        pair.Annotators.ShouldBe([Annotators[0]]);
        pair.LabelledAt.ShouldBe(T0);
        counts.LeftOutFor(LeftOutReason.PairwiseTie).ShouldBe(1);
        counts.LeftOutFor(LeftOutReason.PairwiseBothBad).ShouldBe(1);
        counts.KeptOf(PairSourceKind.Pairwise).ShouldBe(1);
        counts.Labels.ShouldBe(3);
        counts.NewestLabelAt.ShouldBe(T0.AddMinutes(2));
    }

    [Fact]
    public async Task ReadAsync_RevisedPairwiseLabel_OnlyTheNewVersionMakesAPair()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        var (a, b) = (ResponseIds[0], ResponseIds[1]);
        var first = new PairwiseAnnotation(Context(task, Annotators[0], T0), a, b, PairwisePreference.ABetter, bothBad: false);
        await AddAsync(first);
        await using (var db = Db())
        {
            db.Attach(first);
            var revised = new PairwiseAnnotation(Context(task, Annotators[0], T0.AddHours(1)), a, b, PairwisePreference.BMuchBetter, bothBad: false);
            first.SupersedeWith(revised);
            await db.SaveChangesAsync();  // the old version leaves the "current" index before the new one enters it
            db.Annotations.Add(revised);
            await db.SaveChangesAsync();
        }

        var (pairs, counts) = await ReadAsync();

        var pair = pairs.ShouldHaveSingleItem();
        (pair.ChosenId, pair.RejectedId, pair.Margin, pair.LabelledAt).ShouldBe((b, a, 2, T0.AddHours(1)));
        counts.Labels.ShouldBe(1);
        counts.NewestLabelAt.ShouldBe(T0.AddHours(1));
    }

    [Fact]
    public async Task ReadAsync_Rankings_EveryOrderedPairWithEachRankingWeighingOne()
    {
        await SetUpAsync(overlap: 2, annotators: 2, ties: true);
        var task = await AddTaskAsync(TaskKind.Ranking, responses: ResponseIds);
        var r = ResponseIds;
        await AddAsync(
            // r1 and r2 tied: 6 pairs of 4 responses less the tied one.
            new RankingAnnotation(Context(task, Annotators[0], T0), [new(r[0], 1), new(r[1], 2), new(r[2], 2), new(r[3], 3)], tiesAllowed: true),
            new RankingAnnotation(Context(task, Annotators[1], T0), [new(r[3], 1), new(r[2], 2), new(r[1], 3), new(r[0], 4)], tiesAllowed: true));

        var (pairs, counts) = await ReadAsync();

        var first = pairs.Where(p => p.Annotators[0] == Annotators[0]).ToList();
        first.Select(p => (p.ChosenId, p.RejectedId, p.Margin)).ShouldBe(
            [(r[0], r[1], 1), (r[0], r[2], 1), (r[0], r[3], 2), (r[1], r[3], 1), (r[2], r[3], 1)]);
        first.ShouldAllBe(p => Math.Abs(p.Weight - 0.2) < 1e-12);
        var second = pairs.Where(p => p.Annotators[0] == Annotators[1]).ToList();
        second.Count.ShouldBe(6);
        second.ShouldContain(p => p.ChosenId == r[3] && p.RejectedId == r[0] && p.Margin == 3);
        foreach (var ranking in pairs.GroupBy(p => p.Annotators[0]))
            ranking.Sum(p => p.Weight).ShouldBe(1.0, 1e-12);
        counts.KeptOf(PairSourceKind.Ranking).ShouldBe(11);
        counts.LeftOutFor(LeftOutReason.RankingTie).ShouldBe(1);
    }

    [Fact]
    public async Task ReadAsync_PrincipleVerdicts_MajorityYesOverMajorityNoWithSplitsAndNotApplicableCounted()
    {
        await SetUpAsync(overlap: 3, annotators: 3);
        var task = await AddTaskAsync(TaskKind.Principle, responses: ResponseIds);
        var r = ResponseIds;
        var (honest, concise) = (Principle("honest"), Principle("concise"));
        await AddAsync(
            new PrincipleAnnotation(Context(task, Annotators[0], T0),
            [
                new(r[0], honest, Verdict.Yes, null), new(r[1], honest, Verdict.No, null), new(r[2], honest, Verdict.Yes, null),
                new(r[3], honest, Verdict.NotApplicable, null),
                new(r[0], concise, Verdict.Yes, null), new(r[1], concise, Verdict.Yes, null), new(r[3], concise, Verdict.No, null),
            ]),
            new PrincipleAnnotation(Context(task, Annotators[1], T0.AddMinutes(1)),
                [new(r[0], honest, Verdict.Yes, null), new(r[1], honest, Verdict.No, null), new(r[2], honest, Verdict.No, null)]),
            new PrincipleAnnotation(Context(task, Annotators[2], T0.AddMinutes(2)), [new(r[0], honest, Verdict.No, "overstates")]));

        var (pairs, counts) = await ReadAsync();

        // honest: r0 is yes two to one, r1 no, r2 split one to one, r3 not applicable. concise: r0 and r1 yes, r3 no.
        pairs.Select(p => (p.PrincipleKey, p.ChosenId, p.RejectedId)).ShouldBe(
            [("honest", r[0], r[1]), ("concise", r[0], r[3]), ("concise", r[1], r[3])]);
        pairs.Select(p => p.Weight).ShouldBe([1.0, 0.5, 0.5]);
        pairs.ShouldAllBe(p => p.Source == PairSourceKind.Principle && p.Margin == 1 && p.TaskIds.Single() == task.Id);
        pairs[0].Annotators.ShouldBe(Annotators.Order(StringComparer.Ordinal).ToList());
        pairs[0].LabelledAt.ShouldBe(T0.AddMinutes(2));
        pairs[1].Annotators.ShouldBe([Annotators[0]]);
        pairs[1].LabelledAt.ShouldBe(T0);
        counts.LeftOutFor(LeftOutReason.PrincipleSplit).ShouldBe(1);
        counts.LeftOutFor(LeftOutReason.PrincipleNotApplicable).ShouldBe(1);
        counts.LeftOutFor(LeftOutReason.PrincipleNoOpposite).ShouldBe(0);
        counts.KeptOf(PairSourceKind.Principle).ShouldBe(3);
        counts.Labels.ShouldBe(3);
    }

    [Fact]
    public async Task ReadAsync_PrincipleWithOnlyYesVerdicts_NoPairAndEachResponseCountedWithoutAnOpposite()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        var task = await AddTaskAsync(TaskKind.Principle);
        var honest = Principle("honest");
        await AddAsync(new PrincipleAnnotation(Context(task, Annotators[0], T0),
            [new(ResponseIds[0], honest, Verdict.Yes, null), new(ResponseIds[1], honest, Verdict.Yes, null)]));

        var (pairs, counts) = await ReadAsync();

        pairs.ShouldBeEmpty();
        counts.LeftOutFor(LeftOutReason.PrincipleNoOpposite).ShouldBe(2);
        counts.Labels.ShouldBe(1);
    }

    [Fact]
    public async Task PairCounts_ThroughJson_KeepsEveryCount()
    {
        await SetUpAsync(overlap: 2, annotators: 2);
        var task = await AddTaskAsync(TaskKind.Pairwise);
        await AddAsync(
            new PairwiseAnnotation(Context(task, Annotators[0], T0), ResponseIds[0], ResponseIds[1], PairwisePreference.ABetter, bothBad: false),
            new PairwiseAnnotation(Context(task, Annotators[1], T0.AddDays(1)), ResponseIds[0], ResponseIds[1], PairwisePreference.Tie, bothBad: false));
        var (_, counts) = await ReadAsync();

        var back = PairCounts.FromJson(counts.ToJson());

        (back.Labels, back.Pairs, back.LeftOutFor(LeftOutReason.PairwiseTie), back.NewestLabelAt).ShouldBe((2, 1, 1, T0.AddDays(1)));
    }
}
