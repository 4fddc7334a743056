using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Integration.Tests.Annotation;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Integration.Tests.Export;

/// <summary>Principle verdicts in PostgreSQL become the principle reward model's examples: majority per response and
/// principle, splits and "not applicable" counted and left out.</summary>
public class PrincipleExampleSourceTests : QueueFixture
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

    private async Task<PrincipleExampleSet> ReadAsync()
    {
        await using var db = Db();
        return await new PrincipleExampleSource(db).ReadAsync(Project.Id, CancellationToken.None);
    }

    private int Principle(string key) => Project.Principles.Single(p => p.Key == key).Id;

    [Fact]
    public async Task ReadAsync_ThreeAnnotators_MajorityPerResponseAndPrincipleWithSplitsAndNotApplicableCounted()
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
                new(r[0], concise, Verdict.Yes, null), new(r[1], concise, Verdict.NotApplicable, null),
            ]),
            new PrincipleAnnotation(Context(task, Annotators[1], T0.AddMinutes(1)),
                [new(r[0], honest, Verdict.Yes, null), new(r[1], honest, Verdict.No, null), new(r[2], honest, Verdict.No, null),
                 new(r[1], concise, Verdict.NotApplicable, null)]),
            new PrincipleAnnotation(Context(task, Annotators[2], T0.AddMinutes(2)), [new(r[0], honest, Verdict.No, "overstates")]));

        var (examples, counts) = await ReadAsync();

        // honest: r0 yes two to one, r1 no two to none, r2 split, r3 not applicable. concise: r0 yes, r1 not applicable twice.
        // Unlike the pairs, r0 on concise needs no response judged "no" beside it.
        examples.Select(e => (e.ResponseId, e.PrincipleKey, e.Satisfied, e.YesVotes, e.NoVotes)).ShouldBe(
            [(r[0], "honest", true, 2, 1), (r[0], "concise", true, 1, 0), (r[1], "honest", false, 0, 2)]);
        var first = examples[0];
        first.PrincipleText.ShouldBe("Says nothing false.");
        first.Response.ShouldBe(EmojiText);
        first.Prompt.ShouldHaveSingleItem().Content.ShouldBe("Tell me about food.");
        first.TaskIds.ShouldBe([task.Id]);
        first.Annotators.ShouldBe(Annotators.Order(StringComparer.Ordinal).ToList());
        first.LabelledAt.ShouldBe(T0.AddMinutes(2));
        examples[1].Annotators.ShouldBe([Annotators[0]]);
        counts.ShouldBe(new PrincipleExampleCounts(Labels: 3, Verdicts: 11, Kept: 3, NotApplicable: 3, Split: 1, NewestLabelAt: T0.AddMinutes(2))
        {
            KeptByPrinciple = counts.KeptByPrinciple,
        });
        counts.KeptByPrinciple.ShouldBe(new Dictionary<string, int> { ["honest"] = 2, ["concise"] = 1 }, ignoreOrder: true);
    }

    [Fact]
    public async Task ReadAsync_RevisedLabel_OnlyTheCurrentVersionCounts()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        var task = await AddTaskAsync(TaskKind.Principle);
        var honest = Principle("honest");
        var first = new PrincipleAnnotation(Context(task, Annotators[0], T0), [new(ResponseIds[0], honest, Verdict.No, null)]);
        await AddAsync(first);
        await using (var db = Db())
        {
            db.Attach(first);
            var revised = new PrincipleAnnotation(Context(task, Annotators[0], T0.AddHours(1)), [new(ResponseIds[0], honest, Verdict.Yes, "checked")]);
            first.SupersedeWith(revised);
            await db.SaveChangesAsync();  // the old version leaves the "current" index before the new one enters it
            db.Annotations.Add(revised);
            await db.SaveChangesAsync();
        }

        var (examples, counts) = await ReadAsync();

        var example = examples.ShouldHaveSingleItem();
        (example.Satisfied, example.YesVotes, example.NoVotes, example.LabelledAt).ShouldBe((true, 1, 0, T0.AddHours(1)));
        (counts.Labels, counts.Verdicts, counts.Kept).ShouldBe((1, 1, 1));
    }

    [Fact]
    public async Task ToTraining_PutsThePrincipleTextIntoTheModelsInput()
    {
        await SetUpAsync(overlap: 1, annotators: 1);
        var task = await AddTaskAsync(TaskKind.Principle);
        await AddAsync(new PrincipleAnnotation(Context(task, Annotators[0], T0),
            [new(ResponseIds[1], Principle("honest"), Verdict.Yes, null), new(ResponseIds[1], Principle("concise"), Verdict.No, null)]));
        var tokenizer = BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(["Soup is warm."], merges: 10, TinyCheckpoints.SpecialTokens));
        var template = new PrincipleTemplate(tokenizer);

        var (examples, _) = await ReadAsync();
        var training = examples.Select(e => e.ToTraining(template)).ToList();

        training.Select(e => (e.Principle, e.Satisfied, e.Weight)).ShouldBe([("honest", true, 1.0), ("concise", false, 1.0)]);
        tokenizer.Decode(training[0].InputIds).ShouldContain("Soup is warm.<|im_end|>\n<|im_start|>user\nPrinciple: Says nothing false.\n");
        tokenizer.Decode(training[1].InputIds).ShouldContain("Principle: No padding.\n");
    }
}
