using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Annotating;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>Every kind of bad post gets a 400 that names what and where, and leaves the database as it was.</summary>
public sealed class ValidationTests : QueueFixture
{
    [Theory]
    [InlineData("pairwise-unknown-response", TaskKind.Pairwise, "responseAId and responseBId must be task")]
    [InlineData("pairwise-response-of-another-task", TaskKind.Pairwise, "responseAId and responseBId must be task")]
    [InlineData("pairwise-preference-out-of-scale", TaskKind.Pairwise, "pairwise.preference")]
    [InlineData("wrong-kind-of-answer", TaskKind.Pairwise, "send exactly one answer, 'pairwise'; got 'ranking'")]
    [InlineData("shown-order-not-the-task", TaskKind.Pairwise, "shownOrder")]
    [InlineData("no-idempotency-key", TaskKind.Pairwise, "idempotencyKey")]
    [InlineData("negative-time", TaskKind.Pairwise, "timeSpentMs")]
    [InlineData("ranking-not-a-permutation", TaskKind.Ranking, "ranking.entries: must rank each")]
    [InlineData("ranking-tie-not-allowed", TaskKind.Ranking, "allows no ties")]
    [InlineData("span-end-past-text", TaskKind.Span, "span.spans[0]: [3, 999)")]
    [InlineData("span-empty-range", TaskKind.Span, "span.spans[0]: [4, 4)")]
    [InlineData("span-splits-emoji", TaskKind.Span, "surrogate pair")]
    [InlineData("span-label-of-another-project", TaskKind.Span, "span.spans[0].labelId")]
    [InlineData("span-unknown-flag", TaskKind.Span, "span.flags[0].flag")]
    [InlineData("principle-of-another-project", TaskKind.Principle, "principle.verdicts[0].principleId")]
    [InlineData("principle-verdict-missing", TaskKind.Principle, "no verdict for response")]
    [InlineData("principle-bad-verdict", TaskKind.Principle, "principle.verdicts[0].verdict")]
    public async Task SubmitAsync_InvalidAnswer_Returns400NamingTheFieldAndStoresNothing(string name, TaskKind kind, string expected)
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        await AddTaskAsync(kind);
        var lease = await LeaseAsync(Annotators[0]);
        var request = await BadRequestAsync(name);

        await using var db = Db();
        var outcome = await Submits(db).SubmitAsync(lease.AssignmentId, Annotators[0], request);

        outcome.Kind.ShouldBe(OutcomeKind.Invalid);
        outcome.Error!.ShouldContain(expected, Case.Sensitive);
        await using var check = Db();
        (await check.Annotations.CountAsync()).ShouldBe(0);
        (await check.Assignments.SingleAsync()).State.ShouldBe(AssignmentState.Active);
        (await check.Tasks.SingleAsync()).CompletedAnnotations.ShouldBe(0);
    }

    private async Task<SubmitRequest> BadRequestAsync(string name)
    {
        var r = ResponseIds;
        await using var db = Db();
        var labels = await db.SpanLabels.Where(l => l.ProjectId == Project.Id).Select(l => l.Id).ToListAsync();
        var principles = await db.Principles.Where(p => p.ProjectId == Project.Id).OrderBy(p => p.Order).Select(p => p.Id).ToListAsync();
        var other = new Project("Other", "other", FeedbackKinds.Span | FeedbackKinds.Principle);
        var otherLabel = other.AddSpanLabel("x", "X", "x");
        var otherPrinciple = other.AddPrinciple("y", "Y");
        db.Projects.Add(other);
        await db.SaveChangesAsync();

        var key = Guid.NewGuid();
        int[] pair = [r[0], r[1]];
        int[] three = [r[0], r[1], r[2]];
        SubmitRequest Span(SpanItem span, FlagItem? flag = null) =>
            new(key, 10, [r[0]], null, Span: new SpanAnswer([span], flag is null ? [] : [flag]));
        SubmitRequest Principle(params VerdictItem[] verdicts) =>
            new(key, 10, pair, null, Principle: new PrincipleAnswer(verdicts));
        var emoji = EmojiText.IndexOf("🍕", StringComparison.Ordinal);

        return name switch
        {
            "pairwise-unknown-response" => Pairwise(r[0], 999_999) with { ShownOrder = pair },
            "pairwise-response-of-another-task" => Pairwise(r[0], r[3]) with { ShownOrder = pair },
            "pairwise-preference-out-of-scale" => Pairwise(r[0], r[1], preference: 3),
            "wrong-kind-of-answer" => new(key, 10, pair, null, Ranking: new RankingAnswer([new(r[0], 1), new(r[1], 2)])),
            "shown-order-not-the-task" => Pairwise(r[0], r[1]) with { ShownOrder = [r[0], r[0]] },
            "no-idempotency-key" => Pairwise(r[0], r[1], key: Guid.Empty),
            "negative-time" => Pairwise(r[0], r[1]) with { TimeSpentMs = -5 },
            "ranking-not-a-permutation" => new(key, 10, three, null, Ranking: new RankingAnswer([new(r[0], 1), new(r[1], 2), new(r[1], 3)])),
            "ranking-tie-not-allowed" => new(key, 10, three, null, Ranking: new RankingAnswer([new(r[0], 1), new(r[1], 1), new(r[2], 3)])),
            "span-end-past-text" => Span(new SpanItem(r[0], 3, 999, labels[0], null, null)),
            "span-empty-range" => Span(new SpanItem(r[0], 4, 4, labels[0], null, null)),
            "span-splits-emoji" => Span(new SpanItem(r[0], emoji, emoji + 1, labels[0], null, null)),
            "span-label-of-another-project" => Span(new SpanItem(r[0], 0, 5, otherLabel.Id, null, null)),
            "span-unknown-flag" => Span(new SpanItem(r[0], 0, 5, labels[0], null, null), new FlagItem(r[0], "<script>")),
            "principle-of-another-project" => Principle(new VerdictItem(r[0], otherPrinciple.Id, 1, null)),
            "principle-verdict-missing" => Principle(new VerdictItem(r[0], principles[0], 1, null), new VerdictItem(r[1], principles[0], 0, null)),
            "principle-bad-verdict" => Principle(new VerdictItem(r[0], principles[0], 7, null)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }
}
