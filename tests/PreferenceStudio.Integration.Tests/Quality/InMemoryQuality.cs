using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Quality;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Quality;
using Label = PreferenceStudio.Core.Annotations.Annotation;

namespace PreferenceStudio.Integration.Tests.Quality;

/// <summary>
/// The reference: the quality page's figures as it computed them before they moved into SQL, every current label
/// loaded as an entity and counted in memory (ProjectQualityQuery up to 2026-12-03, unchanged but for the access gate).
/// </summary>
internal static class InMemoryQuality
{
    public static async Task<ProjectQuality> ComputeAsync(PreferenceStudioDbContext db, int projectId, DateOnly today)
    {
        IQueryable<T> Current<T>() where T : Label =>
            db.Set<T>().AsNoTracking().Where(a => a.SupersededAt == null && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId));

        var pairwise = await Current<PairwiseAnnotation>().ToListAsync();
        var rankings = await Current<RankingAnnotation>().ToListAsync();
        var principles = await Current<PrincipleAnnotation>().ToListAsync();
        var spans = await Current<SpanAnnotation>().Select(a => new { a.AnnotatorId, a.TimeSpentMs, a.CreatedAt }).ToListAsync();

        var kinds = new List<KindAgreement>
        {
            Agreement("Pairwise", pairwise.Count, pairwise.GroupBy(a => a.TaskId).Select(g => Values(g.Select(a => (double)a.CanonicalPreference))),
                AlphaMetric.Interval, "five-point preference, turned to one orientation per task"),
            Agreement("Ranking", rankings.Count, rankings.SelectMany(a => a.Entries.Select(e => (a.TaskId, e.ResponseId, (double)e.Rank)))
                    .GroupBy(x => (x.TaskId, x.ResponseId)).Select(g => Values(g.Select(x => x.Item3))),
                AlphaMetric.Interval, "rank of each response"),
            Agreement("Principle", principles.Count, principles.SelectMany(a => a.Verdicts.Where(v => v.Verdict != Verdict.NotApplicable)
                        .Select(v => (a.TaskId, v.ResponseId, v.PrincipleId, (double)v.Verdict)))
                    .GroupBy(x => (x.TaskId, x.ResponseId, x.PrincipleId)).Select(g => Values(g.Select(x => x.Item4))),
                AlphaMetric.Nominal, "yes / no per response and principle"),
        };

        var times = pairwise.Select(a => (a.AnnotatorId, a.TimeSpentMs, a.CreatedAt))
            .Concat(rankings.Select(a => (a.AnnotatorId, a.TimeSpentMs, a.CreatedAt)))
            .Concat(principles.Select(a => (a.AnnotatorId, a.TimeSpentMs, a.CreatedAt)))
            .Concat(spans.Select(a => (a.AnnotatorId, a.TimeSpentMs, a.CreatedAt)))
            .ToList();
        var names = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Email ?? u.UserName ?? u.Id);
        var agreement = PairwiseAgreementByAnnotator(pairwise);
        var annotators = times.GroupBy(t => t.AnnotatorId)
            .Select(g =>
            {
                agreement.TryGetValue(g.Key, out var a);
                return new AnnotatorQuality(names.GetValueOrDefault(g.Key, g.Key), g.Count(), Median(g.Select(t => t.TimeSpentMs / 1000.0)),
                    a.Compared, a.Compared == 0 ? null : (double)a.Agreed / a.Compared);
            })
            .OrderByDescending(a => a.Labels).ToList();

        var counts = times.GroupBy(t => DateOnly.FromDateTime(t.CreatedAt.UtcDateTime)).ToDictionary(g => g.Key, g => g.Count());
        var perDay = Enumerable.Range(0, ProjectQualityQuery.Days).Select(i => today.AddDays(i - ProjectQualityQuery.Days + 1))
            .Select(day => new DailyCount(day, counts.GetValueOrDefault(day))).ToList();

        var byKind = new List<KindLabels>
        {
            new("Pairwise", pairwise.Count), new("Ranking", rankings.Count), new("Span", spans.Count), new("Principle", principles.Count),
        };
        return new ProjectQuality(kinds, annotators, perDay, byKind);
    }

    private static List<double> Values(IEnumerable<double> values) => values.ToList();

    private static KindAgreement Agreement(string kind, int labels, IEnumerable<IReadOnlyList<double>> units, AlphaMetric metric, string what)
    {
        var list = units.ToList();
        return new KindAgreement(kind, labels, list.Count(u => u.Count >= 2), KrippendorffAlpha.Compute(list, metric), metric, what);
    }

    private static Dictionary<string, (int Compared, int Agreed)> PairwiseAgreementByAnnotator(IEnumerable<PairwiseAnnotation> labels)
    {
        var result = new Dictionary<string, (int Compared, int Agreed)>();
        foreach (var task in labels.GroupBy(a => a.TaskId).Where(g => g.Count() >= 2))
            foreach (var mine in task)
                foreach (var other in task.Where(o => o.AnnotatorId != mine.AnnotatorId))
                {
                    var (compared, agreed) = result.GetValueOrDefault(mine.AnnotatorId);
                    result[mine.AnnotatorId] = (compared + 1, agreed + (Math.Sign(mine.CanonicalPreference) == Math.Sign(other.CanonicalPreference) ? 1 : 0));
                }
        return result;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return 0;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
