using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>The span and principle reward model runs' pages and results endpoint: who may see them, and untrusted names shown as text.</summary>
public class RewardKindPagesTests : WebAppTest
{
    private const string Script = "<script>alert(1)</script>";
    private int _projectId;
    private int _baseModelId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Database.CreateContext();
        var (project, _, _) = await Seed.PairwiseTaskAsync(db, slug: "rk");
        var baseModel = new ModelVersion("test base model", ModelKind.Policy, "models/test-base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        (_projectId, _baseModelId) = (project.Id, baseModel.Id);
    }

    /// <summary>A finished run that made a model of <paramref name="kind"/> with these held-out metrics (the folder is never read for spans).</summary>
    private async Task<long> FinishedRunAsync(TrainingKind kind, ModelKind modelKind, string config, Dictionary<string, double> metrics)
    {
        await using var db = Database.CreateContext();
        var run = new TrainingRun(kind, config, "researcher@demo.local", _projectId, _baseModelId);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        var version = new ModelVersion($"model of run {run.Id}", modelKind, $"models/none-{run.Id}", _baseModelId, run.Id,
            modelKind == ModelKind.SpanReward ? ModelOrigin.SpanRewardRun : ModelOrigin.PrincipleRewardRun);
        version.RecordMetrics(JsonSerializer.Serialize(metrics));
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        run.Start("node", 3, DateTimeOffset.UtcNow);
        run.Succeed(DateTimeOffset.UtcNow, version.Id);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private Task<long> SpanRunAsync() => FinishedRunAsync(TrainingKind.SpanRewardModel, ModelKind.SpanReward, new SpanRewardRunConfig().ToJson(), new()
    {
        [$"eval_{Script}/precision"] = 0.5, [$"eval_{Script}/recall"] = 0.25, [$"eval_{Script}/f1"] = 1 / 3.0,
        ["eval_factual-error/precision"] = 1, ["eval_factual-error/recall"] = 1, ["eval_factual-error/f1"] = 1,
        ["eval_macro_f1"] = 2 / 3.0, ["eval_loss"] = 0.2,
    });

    [Fact]
    public async Task RunPageAndResults_Annotator_Return403()
    {
        var runId = await SpanRunAsync();
        var annotator = await SignedInAsync("Annotator");

        (await annotator.GetAsync($"/training/{runId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/training/{runId}/results")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Results_SpanRun_ResearcherGetsPerCategoryScoresAsJson()
    {
        var runId = await SpanRunAsync();
        var researcher = await SignedInAsync("Researcher");

        using var json = JsonDocument.Parse(await researcher.GetStringAsync($"/training/{runId}/results"));

        var categories = json.RootElement.GetProperty("categories").EnumerateArray().ToList();
        // Without the model's folder (none here) by name: '<' sorts before 'f'.
        categories.Select(c => c.GetProperty("category").GetString()).ShouldBe([Script, "factual-error"]);
        categories[0].GetProperty("f1").GetDouble().ShouldBe(1 / 3.0, 1e-9);
        json.RootElement.GetProperty("headline").GetDouble().ShouldBe(2 / 3.0, 1e-9);
        (await researcher.GetAsync("/training/987654/results")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RunPage_SpanRunWithMarkupInACategory_ShowsTheTableWithItAsText()
    {
        var runId = await SpanRunAsync();
        var researcher = await SignedInAsync("Researcher");

        var html = await researcher.PageAsync($"/training/{runId}");

        html.ShouldNotContain("<script>alert(1)");
        var page = new HtmlParser().ParseDocument(html);
        page.QuerySelector("[data-testid=span-category-0] [data-testid=category]")!.TextContent.ShouldBe(Script);
        page.QuerySelector("[data-testid=span-category-1] [data-testid=f1]")!.TextContent.ShouldBe("1.000");
        page.QuerySelector("[data-testid=span-macro-f1]")!.TextContent.ShouldBe("0.667");
        page.QuerySelector("[data-testid=token-rewards]").ShouldNotBeNull();
        page.QuerySelector("[data-testid=chart-accuracy]").ShouldBeNull("a span run has no pair accuracy");
    }

    [Fact]
    public async Task RunPage_PrincipleRun_ShowsAccuracyPerPrinciple()
    {
        var runId = await FinishedRunAsync(TrainingKind.PrincipleRewardModel, ModelKind.PrincipleReward, new PrincipleRewardRunConfig().ToJson(), new()
        {
            ["eval_accuracy"] = 0.75, ["eval_accuracy/honest"] = 0.5, ["eval_examples/honest"] = 2, ["eval_accuracy/concise"] = 1, ["eval_examples/concise"] = 2,
        });
        var researcher = await SignedInAsync("Researcher");

        var page = new HtmlParser().ParseDocument(await researcher.PageAsync($"/training/{runId}"));

        page.QuerySelector("[data-testid=principle-accuracy]")!.TextContent.ShouldBe("0.750");
        // Without the model's principles file the keys are ordered by name.
        page.QuerySelector("[data-testid=principle-0] [data-testid=key]")!.TextContent.ShouldBe("concise");
        page.QuerySelector("[data-testid=principle-1] [data-testid=accuracy]")!.TextContent.ShouldBe("0.500");
    }

    [Fact]
    public async Task TrainingPage_Researcher_OffersSpanAndPrincipleRewardModels()
    {
        var researcher = await SignedInAsync("Researcher");

        var page = new HtmlParser().ParseDocument(await researcher.PageAsync("/training"));

        page.QuerySelector("[data-testid=kind-span]").ShouldNotBeNull();
        page.QuerySelector("[data-testid=kind-principle]").ShouldNotBeNull();
    }
}
