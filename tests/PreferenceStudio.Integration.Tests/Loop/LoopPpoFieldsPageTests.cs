using System.Net;
using AngleSharp.Html.Parser;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Projects;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;
using PreferenceStudio.Web.Loop;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Loop;

/// <summary>
/// The loop settings' PPO section through the real app: the launch form's PPO fields with the loop's words (no scalar
/// picker, the refresh said), the span model's categories read from its folder, and untrusted names kept as text.
/// </summary>
public class LoopPpoFieldsPageTests : UseCaseTest
{
    private const string ScriptPrinciple = "<script>alert(1)</script> Is it polite?";
    private const string MarkupCategory = "<img src=x onerror=alert(2)>";

    private int _policyId;
    private int _spanId;
    private int _principleId;

    /// <summary>The demo project's loop set to PPO with a span model (taxonomy: a plain and a markup category) and a principle model whose principle text is markup.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var projectId = await DemoProjectIdAsync();
        var policyFolder = Path.Combine(App.StoreRoot, "models", "loop-base");
        Directory.CreateDirectory(policyFolder);
        await File.WriteAllTextAsync(Path.Combine(policyFolder, "config.json"), "{\"model_type\": \"qwen2\"}");
        await File.WriteAllTextAsync(Path.Combine(policyFolder, "tokenizer.json"), "{}");
        var spanFolder = Path.Combine(App.StoreRoot, "models", "loop-span");
        Directory.CreateDirectory(spanFolder);
        await File.WriteAllTextAsync(Path.Combine(spanFolder, SpanRewardModel.LabelsFile), $$"""{"categories": ["factual", {{System.Text.Json.JsonSerializer.Serialize(MarkupCategory)}}]}""");
        PrincipleSet.Save(Path.Combine(App.StoreRoot, "models", "loop-principle"), [new PrincipleDefinition("polite", ScriptPrinciple)]);
        await using var db = Database.CreateContext();
        // Made by the project's runs, as the loop requires of a model each round retrains with its run's settings.
        var spanRun = new TrainingRun(TrainingKind.SpanRewardModel, new SpanRewardRunConfig().ToJson(), "researcher", projectId);
        var principleRun = new TrainingRun(TrainingKind.PrincipleRewardModel, new PrincipleRewardRunConfig().ToJson(), "researcher", projectId);
        db.TrainingRuns.AddRange(spanRun, principleRun);
        await db.SaveChangesAsync();
        var policy = new ModelVersion("loop base", ModelKind.Policy, "models/loop-base");
        var span = new ModelVersion("span model", ModelKind.SpanReward, "models/loop-span", trainingRunId: spanRun.Id, origin: ModelOrigin.SpanRewardRun);
        var principle = new ModelVersion("principle model", ModelKind.PrincipleReward, "models/loop-principle", trainingRunId: principleRun.Id, origin: ModelOrigin.PrincipleRewardRun);
        db.ModelVersions.AddRange(policy, span, principle);
        await db.SaveChangesAsync();
        (_policyId, _spanId, _principleId) = (policy.Id, span.Id, principle.Id);

        var model = LoopSettingsModel.From(null, _policyId);
        model.PolicyTrainer = PolicyTrainer.Ppo;
        model.Ppo.SpanModelId = _spanId;
        model.Ppo.TakeCategories(["factual"]);
        model.Ppo.CategoryWeights[0].Weight = 2.5;
        model.Ppo.PrincipleModelId = _principleId;
        model.Ppo.TakePrinciples([ScriptPrinciple]);
        (await Service<LoopActions>().SaveAsync(await AsAsync("Researcher"), projectId, model, CancellationToken.None)).ShouldBeEmpty();
    }

    private static readonly string LoopPage = $"/projects/{DemoSeeder.ProjectSlug}/loop";

    [Fact]
    public async Task LoopPage_PpoWithSpanAndPrincipleModels_ShowsTheirFieldsWithTheTaxonomyAndTheLoopsWords()
    {
        var researcher = await SignedInAsync("Researcher");

        var page = new HtmlParser().ParseDocument(await researcher.PageAsync(LoopPage));

        foreach (var field in new[] { "ppo.reward.span_model_id", "ppo.reward.span_weight", "ppo.reward.principle_model_id", "ppo.reward.principle_weight", "ppo.kl_coef", "ppo.learning_rate", "ppo.reward.reward_model_weight" })
            page.QuerySelector($"[data-testid='field-{field}']").ShouldNotBeNull(field);
        // In a round the scalar reward model is the round's own: no picker, and the form says so.
        page.QuerySelector("[data-testid='field-ppo.reward.reward_model_id']").ShouldBeNull();
        page.QuerySelector("[data-testid=ppo-round-reward-model]").ShouldNotBeNull();
        page.QuerySelector("[data-testid='field-ppo.reward.span_model_id']")!.TextContent
            .ShouldContain("Each round retrains this model on every span label so far with the same settings.");
        // Every category of the model's taxonomy, the stored weight kept and the one not stored at the default.
        page.QuerySelector("[data-testid=span-category-0] input")!.GetAttribute("value").ShouldBe("2.5");
        page.QuerySelector("[data-testid=span-category-1] input")!.GetAttribute("value").ShouldBe("1");
    }

    [Fact]
    public async Task LoopPage_MarkupInAPrincipleTextAndACategoryName_RendersThemAsText()
    {
        var researcher = await SignedInAsync("Researcher");

        var html = await researcher.PageAsync(LoopPage);

        html.ShouldNotContain("<script>alert(1)");
        html.ShouldNotContain("<img src=x");
        var page = new HtmlParser().ParseDocument(html);
        page.QuerySelector("[data-testid=principle-text-0] input")!.GetAttribute("value").ShouldBe(ScriptPrinciple);
        page.QuerySelector("[data-testid=span-category-1] label")!.TextContent.ShouldBe(MarkupCategory);
    }

    [Theory]
    [InlineData("Annotator", HttpStatusCode.Forbidden)]
    [InlineData("Researcher", HttpStatusCode.OK)]
    public async Task LoopPage_ByRole_OnlyResearchSeesThePpoSettings(string role, HttpStatusCode expected)
    {
        var client = await SignedInAsync(role);

        var response = await client.GetAsync(LoopPage);

        response.StatusCode.ShouldBe(expected);
        if (expected == HttpStatusCode.OK)
            (await response.Content.ReadAsStringAsync()).ShouldContain("data-testid=\"principle-text-0\"");
    }
}
