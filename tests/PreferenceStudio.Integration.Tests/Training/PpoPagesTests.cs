using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>A PPO run's page (its curves grouped under TRL's names), its launch from the form and the JSON API, by role.</summary>
public class PpoPagesTests : WebAppTest
{
    private int _projectId;
    private int _baseModelId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Database.CreateContext();
        var (project, _, _) = await Seed.PairwiseTaskAsync(db, slug: "ppo");
        var baseModel = new ModelVersion("test base model", ModelKind.Policy, "models/test-base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        (_projectId, _baseModelId) = (project.Id, baseModel.Id);
    }

    private async Task<long> SeedPpoRunAsync(params (int Step, string Key, double Value)[] metrics)
    {
        await using var db = Database.CreateContext();
        var run = new TrainingRun(TrainingKind.Ppo, new PpoRunConfig { Reward = new PpoRewardSection { RewardModelId = 1 } }.ToJson(), "researcher", _projectId, _baseModelId);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        db.RunMetrics.AddRange(metrics.Select(m => new RunMetric(run.Id, m.Step, m.Key, m.Value, DateTimeOffset.UtcNow)));
        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task RunPage_PpoRun_DrawsTheCurvesGroupedByRewardSourcePolicyAndValueWithTheHeldOutValues()
    {
        var runId = await SeedPpoRunAsync(
            (1, "objective/scores", 0.1), (2, "objective/scores", 0.3), (1, "objective/scores/reward_model", 0.1), (2, "objective/scores/reward_model", 0.3),
            (1, "objective/rlhf_reward", 0.1), (1, "objective/kl", 0), (2, "objective/kl", 0.2), (1, "loss/policy_avg", -0.01), (1, "policy/clipfrac_avg", 0),
            (1, "policy/approxkl_avg", 0.001), (1, "val/ratio", 1), (1, "loss/value_avg", 0.5), (2, "eval_objective/scores", 0.42));
        var researcher = await SignedInAsync("Researcher");

        var page = new HtmlParser().ParseDocument(await researcher.PageAsync($"/training/{runId}"));

        foreach (var group in new[] { "rewards", "policy", "value" })
            page.QuerySelector($"[data-testid=ppo-group-{group}]").ShouldNotBeNull(group);
        page.QuerySelector("[data-testid=chart-objective-scores]")!.GetAttribute("data-points").ShouldBe("2");
        page.QuerySelector("[data-testid=chart-objective-scores-reward_model]")!.GetAttribute("data-points").ShouldBe("2");
        page.QuerySelector("[data-testid=chart-objective-kl]")!.GetAttribute("data-points").ShouldBe("2");
        foreach (var key in new[] { "loss-policy_avg", "policy-clipfrac_avg", "policy-approxkl_avg", "val-ratio", "loss-value_avg", "objective-rlhf_reward" })
            page.QuerySelector($"[data-testid=chart-{key}]")!.GetAttribute("data-points").ShouldBe("1", key);
        page.QuerySelector("[data-testid=ppo-held-out]")!.TextContent.ShouldContain("0.420");
        // A PPO run has no pair loss or accuracy to draw.
        page.QuerySelector("[data-testid=chart-loss]").ShouldBeNull();
    }

    [Fact]
    public async Task RunPage_PpoRunWithMarkupInASourceName_RendersItAsText()
    {
        var runId = await SeedPpoRunAsync((1, "objective/scores/<img src=x onerror=alert(1)>", 0.5));
        var researcher = await SignedInAsync("Researcher");

        var html = await researcher.PageAsync($"/training/{runId}");

        html.ShouldNotContain("<img src=x");
        new HtmlParser().ParseDocument(html).QuerySelector("[data-testid=ppo-curves]").ShouldNotBeNull();
        html.ShouldContain("&lt;img src=x");
    }

    [Fact]
    public async Task RunPage_PpoRun_AnnotatorGets403()
    {
        var runId = await SeedPpoRunAsync();
        var annotator = await SignedInAsync("Annotator");

        (await annotator.GetAsync($"/training/{runId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PostPpo_RewardModelIsAPolicy_Returns400NamingTheFieldAndQueuesNothing()
    {
        var researcher = await SignedInAsync("Researcher");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/training/ppo")
        {
            Content = JsonContent.Create(new { project_id = _projectId, base_model_id = _baseModelId, config = new { reward = new { reward_model_id = _baseModelId } } }),
        };
        request.Headers.Add("RequestVerificationToken", await researcher.AntiforgeryTokenAsync());

        var response = await researcher.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        problem.RootElement.GetProperty("errors").GetProperty("reward.reward_model_id")[0].GetString()!.ShouldContain("Policy");
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.AnyAsync(r => r.Kind == TrainingKind.Ppo)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("Annotator", HttpStatusCode.Forbidden)]
    [InlineData("Researcher", HttpStatusCode.BadRequest)]  // no antiforgery token
    public async Task PostPpo_AnnotatorOrWithoutToken_IsRefused(string role, HttpStatusCode expected)
    {
        var client = await SignedInAsync(role);

        var response = await client.PostAsJsonAsync("/training/ppo", new { project_id = _projectId, base_model_id = _baseModelId });

        response.StatusCode.ShouldBe(expected);
    }

    [Fact]
    public void PpoRunConfig_SpanAndPrincipleSections_RoundTripThroughTheStoredJson()
    {
        var json = """
            {"reward": {"span_model_id": 4, "segments": {"category_weights": {"factual": 2.5}, "segment_length": 8},
                        "principle_model_id": 5, "principles": [{"text": "Is it polite?", "weight": 0.5}]}}
            """;

        var config = PpoRunConfig.FromJson(PpoRunConfig.FromJson(json).ToJson());

        (config.Reward.SpanModelId, config.Reward.PrincipleModelId, config.Reward.Segments.SegmentLength).ShouldBe((4, 5, 8));
        config.Reward.Segments.CategoryWeights["factual"].ShouldBe(2.5);
        config.Reward.Principles.ShouldHaveSingleItem().ShouldBe(new PreferenceStudio.Training.Principles.WeightedPrinciple("Is it polite?", 0.5));
        config.Validate().ShouldBeEmpty();
    }

    [Fact]
    public async Task TrainingPage_Prerendered_OffersThePpoPolicyKind()
    {
        var researcher = await SignedInAsync("Researcher");

        var page = new HtmlParser().ParseDocument(await researcher.PageAsync("/training"));

        page.QuerySelector("[data-testid=kind-ppo]").ShouldNotBeNull();
    }
}
