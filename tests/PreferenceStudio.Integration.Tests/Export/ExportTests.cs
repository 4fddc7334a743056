using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Jobs;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Export;

/// <summary>Labels of every kind go in; a worker writes each dataset layout; the rows are exactly what was said.</summary>
public class ExportTests : WebAppTest
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "ps-export-" + Guid.NewGuid().ToString("N"));
    private int _projectId;
    private (int R1, int R2, int R3) _r;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Database.CreateContext();
        var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
        _projectId = project.Id;
        var ann1 = (await db.Users.SingleAsync(u => u.Email == "annotator@demo.local")).Id;
        var ann2 = (await db.Users.SingleAsync(u => u.Email == "annotator2@demo.local")).Id;
        var tasks = await db.Tasks.Where(t => t.ProjectId == _projectId).OrderBy(t => t.Id).ToListAsync();
        var pairwise = tasks.First(t => t.Kind == TaskKind.Pairwise);
        var ranking = tasks.First(t => t.Kind == TaskKind.Ranking && t.PromptId == pairwise.PromptId);
        var span = tasks.First(t => t.Kind == TaskKind.Span && t.PromptId == pairwise.PromptId);
        var principle = tasks.First(t => t.Kind == TaskKind.Principle && t.PromptId == pairwise.PromptId);
        var ids = ranking.Responses.Select(r => r.ResponseId).Order().ToList();
        _r = (ids[0], ids[1], ids[2]);
        var factual = project.Principles.Single(p => p.Key == "factual").Id;
        var factualError = project.SpanLabels.Single(l => l.Key == "factual-error").Id;

        AnnotationContext Context(AnnotationTask task, string who, params int[] shown) =>
            new(task.Id, who, null, Guid.NewGuid(), TimeSpan.FromSeconds(10), shown, who == ann1 ? "clearer" : null, DateTimeOffset.UtcNow);
        var (r1, r2, r3) = _r;
        db.Annotations.AddRange(
            new PairwiseAnnotation(Context(pairwise, ann1, r1, r2), r1, r2, PairwisePreference.AMuchBetter, bothBad: false),
            new PairwiseAnnotation(Context(pairwise, ann2, r2, r1), r2, r1, PairwisePreference.ABetter, bothBad: false),
            new RankingAnnotation(Context(ranking, ann1, r1, r2, r3), [new(r3, 1), new(r1, 2), new(r2, 3)], tiesAllowed: false),
            new SpanAnnotation(Context(span, ann1, r1), [new MarkedSpan(r1, 0, 5, factualError, Severity.Major, "wrong")], [new ResponseFlag(r1, "incomplete")]),
            new PrincipleAnnotation(Context(principle, ann1, r1, r2), [new PrincipleVerdict(r1, factual, Verdict.Yes, null), new PrincipleVerdict(r2, factual, Verdict.No, "ocean myth")]));
        await db.SaveChangesAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_store))
            Directory.Delete(_store, recursive: true);
    }

    private async Task<List<JsonElement>> ExportAsync(ExportFormat format)
    {
        var lines = await File.ReadAllLinesAsync(await ExportFileAsync(format));
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private async Task<string> ExportFileAsync(ExportFormat format)
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, storageRoot: _store);
        long id;
        await using (var scope = App.Services.CreateAsyncScope())
            id = (await scope.ServiceProvider.GetRequiredService<ExportLauncher>().LaunchAsync(_projectId, format, "tester", CancellationToken.None)).Id;

        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = Database.CreateContext();
            var export = await db.DatasetExports.AsNoTracking().SingleAsync(e => e.Id == id);
            export.State.ShouldNotBe(RunState.Failed, export.Error);
            if (export.State == RunState.Succeeded)
            {
                (await File.ReadAllLinesAsync(export.FilePath!)).Length.ShouldBe(export.RowCount);
                return export.FilePath!;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Export of {format} did not finish.");
    }

    private async Task<string> TextAsync(int responseId)
    {
        await using var db = Database.CreateContext();
        return (await db.Responses.SingleAsync(r => r.Id == responseId)).Text;
    }

    private static string Content(JsonElement messages) => messages.EnumerateArray().Last().GetProperty("content").GetString()!;

    [Fact]
    public async Task TrlPreference_PairwiseRankingAndPrinciple_OneRowPerPreferredPairWithMarginAndWeight()
    {
        var rows = await ExportAsync(ExportFormat.TrlPreference);

        var (r1, r2, r3) = _r;
        var expected = new[]
        {
            (r1, r2, 2, 1.0, "pairwise"), (r2, r1, 1, 1.0, "pairwise"),
            (r3, r1, 1, 1 / 3.0, "ranking"), (r3, r2, 2, 1 / 3.0, "ranking"), (r1, r2, 1, 1 / 3.0, "ranking"),
            (r1, r2, 1, 1.0, "principle"),
        };
        rows.Count.ShouldBe(expected.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            Content(rows[i].GetProperty("chosen")).ShouldBe(await TextAsync(expected[i].Item1));
            Content(rows[i].GetProperty("rejected")).ShouldBe(await TextAsync(expected[i].Item2));
            rows[i].GetProperty("margin").GetInt32().ShouldBe(expected[i].Item3);
            rows[i].GetProperty("weight").GetDouble().ShouldBe(expected[i].Item4, 1e-12);
            rows[i].GetProperty("source").GetString().ShouldBe(expected[i].Item5);
            rows[i].GetProperty("task_ids")[0].GetInt64().ShouldBe(rows[i].GetProperty("task_id").GetInt64());
            rows[i].GetProperty("prompt")[0].GetProperty("content").GetString().ShouldBe("Why is the sky blue?");
        }
    }

    [Fact]
    public async Task TrlPreference_LoadedForRewardTraining_EveryRowBecomesATokenizedPair()
    {
        var file = await ExportFileAsync(ExportFormat.TrlPreference);
        var tokenizer = BpeTokenizer.FromJson(BpeTrainer.TrainTokenizerJson(TinyCheckpoints.Corpus(), merges: 61, TinyCheckpoints.SpecialTokens));

        var pairs = TrlPreferenceDataset.Load(file, tokenizer);

        pairs.Count.ShouldBe(6);
        tokenizer.Decode(pairs[0].Chosen).ShouldBe(await TextAsync(_r.R1) + ChatML.End);
        tokenizer.Decode(pairs[0].Rejected).ShouldBe(await TextAsync(_r.R2) + ChatML.End);
        tokenizer.Decode(pairs[0].Prompt).ShouldBe(ChatML.Format([new ChatMessage("user", "Why is the sky blue?")]));
        pairs.Select(p => p.Margin).ShouldBe([2.0, 1, 1, 2, 1, 1]);
    }

    [Fact]
    public async Task TrlUnpaired_Pairwise_OneDesirableAndOneUndesirableRowPerLabel()
    {
        var rows = await ExportAsync(ExportFormat.TrlUnpaired);
        rows.Select(r => r.GetProperty("label").GetBoolean()).ShouldBe([true, false, true, false]);
        Content(rows[0].GetProperty("completion")).ShouldBe(await TextAsync(_r.R1));
    }

    [Fact]
    public async Task UltraFeedback_Ranking_BestAgainstWorstWithRankScores()
    {
        var row = (await ExportAsync(ExportFormat.UltraFeedback)).ShouldHaveSingleItem();
        Content(row.GetProperty("chosen")).ShouldBe(await TextAsync(_r.R3));
        Content(row.GetProperty("rejected")).ShouldBe(await TextAsync(_r.R2));
        row.GetProperty("score_chosen").GetInt32().ShouldBe(3);
        row.GetProperty("score_rejected").GetInt32().ShouldBe(1);
        row.GetProperty("prompt").GetString().ShouldBe("Why is the sky blue?");
    }

    [Fact]
    public async Task HelpSteer_TwoAnnotatorsSeeingOppositeOrders_ScoresTurnedToResponse1AndAveraged()
    {
        var row = (await ExportAsync(ExportFormat.HelpSteer)).ShouldHaveSingleItem();
        row.GetProperty("response1").GetString().ShouldBe(await TextAsync(_r.R1));
        row.GetProperty("individual_preference").EnumerateArray().Select(p => p.GetProperty("score").GetInt32()).ShouldBe([-3, 2]);
        row.GetProperty("overall_preference").GetInt32().ShouldBe(-1);
    }

    [Fact]
    public async Task FineGrainedSpans_MarkedSpan_CarriesItsTextLabelAndFlags()
    {
        var row = (await ExportAsync(ExportFormat.FineGrainedSpans)).ShouldHaveSingleItem();
        var span = row.GetProperty("spans").EnumerateArray().ShouldHaveSingleItem();
        span.GetProperty("text").GetString().ShouldBe((await TextAsync(_r.R1))[..5]);
        span.GetProperty("label").GetString().ShouldBe("factual-error");
        span.GetProperty("severity").GetString().ShouldBe("major");
        row.GetProperty("flags").EnumerateArray().Single().GetString().ShouldBe("incomplete");
    }

    [Fact]
    public async Task FineGrainedSpans_ShownOrderNamesAMissingResponse_ExportsTheRealOnesAndSucceeds()
    {
        await using (var db = Database.CreateContext())
        {
            var span = await db.Tasks.FirstAsync(t => t.ProjectId == _projectId && t.Kind == TaskKind.Span);
            var annotator = (await db.Users.SingleAsync(u => u.Email == "annotator2@demo.local")).Id;
            // Written past the use cases, as an import or a seed could: the shown order has no foreign key.
            db.Annotations.Add(new SpanAnnotation(
                new AnnotationContext(span.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromSeconds(5), [_r.R1, 999_999], null, DateTimeOffset.UtcNow),
                [], []));
            await db.SaveChangesAsync();
        }

        var rows = await ExportAsync(ExportFormat.FineGrainedSpans);

        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.GetProperty("response").GetString() != "");
    }

    [Fact]
    public async Task PrincipleFeedback_Verdicts_OneRowEachWithThePrincipleText()
    {
        var rows = await ExportAsync(ExportFormat.PrincipleFeedback);
        rows.Select(r => r.GetProperty("verdict").GetString()).ShouldBe(["yes", "no"]);
        rows[1].GetProperty("principle").GetString().ShouldBe("The response contains no factual errors.");
        rows[1].GetProperty("evidence").GetString().ShouldBe("ocean myth");
    }

    [Fact]
    public async Task Download_FinishedExport_ServesTheFileToResearchersOnly()
    {
        await ExportAsync(ExportFormat.TrlPreference);
        await using var db = Database.CreateContext();
        var id = (await db.DatasetExports.SingleAsync()).Id;

        var researcher = await SignedInAsync("Researcher");
        var file = await researcher.GetAsync($"/exports/{id}/file");
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await file.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(6);
        var annotator = await SignedInAsync("Annotator");
        (await annotator.GetAsync($"/exports/{id}/file")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
