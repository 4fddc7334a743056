using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Integration.Tests.Annotation;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Integration.Tests.Export;

/// <summary>Span labels in PostgreSQL become the span model's examples, with what was left out counted.</summary>
public class SpanExampleSourceTests : QueueFixture
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static AnnotationContext Context(AnnotationTask task, string annotator, DateTimeOffset at, int[]? shown = null) =>
        new(task.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromSeconds(5), shown ?? [.. task.Responses.Select(r => r.ResponseId)], null, at);

    private async Task AddAsync(params Core.Annotations.Annotation[] labels)
    {
        await using var db = Db();
        db.Annotations.AddRange(labels);
        await db.SaveChangesAsync();
    }

    private async Task<(List<LabelledSpans> Examples, SpanCounts Counts, IReadOnlyList<string> Categories)> ReadAsync()
    {
        await using var db = Db();
        var source = new SpanExampleSource(db);
        var examples = new List<LabelledSpans>();
        await foreach (var example in source.ReadAsync(Project.Id, CancellationToken.None))
            examples.Add(example);
        return (examples, source.Counts, await source.CategoriesAsync(Project.Id, CancellationToken.None));
    }

    private int Label(string key) => Project.SpanLabels.Single(l => l.Key == key).Id;

    [Fact]
    public async Task ReadAsync_CurrentLabelsPerAnnotator_EveryShownResponseWithItsSpansAndNoErrorsKept()
    {
        await SetUpAsync(overlap: 2, annotators: 2);
        var task = await AddTaskAsync(TaskKind.Span, responses: ResponseIds[..2]);
        var (emoji, soup) = (ResponseIds[0], ResponseIds[1]);
        var pizza = EmojiText.IndexOf("🍕", StringComparison.Ordinal);
        var first = new SpanAnnotation(Context(task, Annotators[0], T0), [new MarkedSpan(soup, 0, 4, Label("style"), null, null)], []);
        await AddAsync(first,
            // The second annotator found no error in either response.
            new SpanAnnotation(Context(task, Annotators[1], T0.AddMinutes(1)), [], []));
        await using (var db = Db())
        {
            // The first annotator revises: the emoji is a factual error (major), "Soup" is style, "warm" too.
            db.Attach(first);
            var revised = new SpanAnnotation(Context(task, Annotators[0], T0.AddHours(1)),
                [new MarkedSpan(soup, 8, 12, Label("style"), null, "meh"), new MarkedSpan(emoji, pizza, pizza + 2, Label("factual-error"), Severity.Major, null),
                 new MarkedSpan(soup, 0, 4, Label("style"), null, null)], []);
            first.SupersedeWith(revised);
            await db.SaveChangesAsync();
            db.Annotations.Add(revised);
            await db.SaveChangesAsync();
        }

        var (examples, counts, categories) = await ReadAsync();

        categories.ShouldBe(["factual-error", "style"]);
        examples.Select(e => (e.Annotator, e.ResponseId)).ShouldBe([(Annotators[1], emoji), (Annotators[1], soup), (Annotators[0], emoji), (Annotators[0], soup)]);
        examples.Take(2).ShouldAllBe(e => e.Spans.Count == 0 && e.LabelledAt == T0.AddMinutes(1));
        examples[2].Spans.ShouldBe([new TextSpan(pizza, pizza + 2, "factual-error", 2)]);
        examples[2].Response.ShouldBe(EmojiText);
        examples[3].Spans.ShouldBe([new TextSpan(0, 4, "style"), new TextSpan(8, 12, "style")]);
        examples[3].Prompt.ShouldHaveSingleItem().Content.ShouldBe("Tell me about food.");
        examples[3].TaskId.ShouldBe(task.Id);
        (counts.Labels, counts.Examples, counts.WithoutErrors, counts.NewestLabelAt).ShouldBe((2, 4, 2, T0.AddHours(1)));
        counts.LeftOut.ShouldBeEmpty();

        // Through the tokenizer: the emoji's tokens are tagged factual (1), "Soup" and "warm" style (2), the rest 0.
        var tokenizer = BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), 61, TinyCheckpoints.SpecialTokens));
        var builder = new SpanExampleBuilder(tokenizer, categories, tokenizer.TokenToId(ChatML.End));
        var tagged = examples.Select(e => e.ToExample(builder)).ToList();
        tagged[0].Tags.ShouldAllBe(t => t == 0);
        tagged[0].Prompt.ShouldBe(tokenizer.Encode("<|im_start|>user\nTell me about food.<|im_end|>\n<|im_start|>assistant\n"));
        tagged[2].Tags.Distinct().Order().ShouldBe([0, 1]);
        tokenizer.Decode(tagged[2].Response.Where((_, t) => tagged[2].Tags[t] == 1)).Trim().ShouldBe("🍕");
        tokenizer.Decode(tagged[3].Response.Where((_, t) => tagged[3].Tags[t] == 2)).ShouldBe("Soupwarm");
        tagged[3].Response[^1].ShouldBe(tokenizer.TokenToId(ChatML.End)!.Value);
    }

    [Fact]
    public async Task ReadAsync_MissingResponseSpanPastTheTextAndUnshownResponse_LeftOutAndCounted()
    {
        await SetUpAsync(overlap: 2, annotators: 2);
        var task = await AddTaskAsync(TaskKind.Span, responses: ResponseIds[..2]);
        var (emoji, soup, bread) = (ResponseIds[0], ResponseIds[1], ResponseIds[3]);
        const int gone = 999_999;  // a response id no row has (any more)
        await AddAsync(
            // "Soup is warm." has 13 characters: a span to 20 no longer fits it.
            new SpanAnnotation(Context(task, Annotators[0], T0, [emoji, soup]),
                [new MarkedSpan(soup, 5, 20, Label("style"), null, null), new MarkedSpan(bread, 0, 5, Label("style"), null, null)], []),
            new SpanAnnotation(Context(task, Annotators[1], T0, [soup, gone]), [new MarkedSpan(soup, 0, 4, Label("factual-error"), Severity.Minor, null)], []));

        var (examples, counts, _) = await ReadAsync();

        examples.Select(e => (e.Annotator, e.ResponseId)).ShouldBe([(Annotators[0], emoji), (Annotators[1], soup)]);
        examples[1].Spans.ShouldBe([new TextSpan(0, 4, "factual-error", 1)]);
        counts.LeftOutFor(SpanLeftOutReason.SpanOutsideResponse).ShouldBe(1);
        counts.LeftOutFor(SpanLeftOutReason.ResponseMissing).ShouldBe(1);
        counts.LeftOutFor(SpanLeftOutReason.SpanOnResponseNotShown).ShouldBe(1);
        (counts.Labels, counts.Examples, counts.WithoutErrors).ShouldBe((2, 2, 1));
        SpanCounts.FromJson(counts.ToJson()).LeftOutFor(SpanLeftOutReason.ResponseMissing).ShouldBe(1);
    }
}
