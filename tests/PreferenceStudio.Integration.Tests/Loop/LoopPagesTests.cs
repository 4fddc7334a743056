using PreferenceStudio.Integration.Tests.Web;
using System.IO.Compression;
using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Integration.Tests.Projects;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Loop;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Seeding;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Integration.Tests.Loop;

/// <summary>The loop's pages and downloads through the real app: who may reach them, what they answer, and that text stays text.</summary>
public class LoopPagesTests : UseCaseTest
{
    private const string Markup = "<script>alert(1)</script><img src=x onerror=alert(2)>";

    private int _projectId;
    private int _policyId;
    private LoopRound _round = default!;

    /// <summary>The demo project, a policy (its folder holds a checkpoint's files), and round 1 in its DPO stage, started by someone whose name is markup.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _projectId = await DemoProjectIdAsync();
        var folder = Path.Combine(App.StoreRoot, "models", "loop-base");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "config.json"), "{\"model_type\": \"qwen2\"}");
        await File.WriteAllTextAsync(Path.Combine(folder, "tokenizer.json"), "{}");
        await using var db = Database.CreateContext();
        var policy = new ModelVersion("loop base", ModelKind.Policy, "models/loop-base");
        db.ModelVersions.Add(policy);
        await db.SaveChangesAsync();
        _policyId = policy.Id;
        var now = DateTimeOffset.UtcNow;
        _round = new LoopRound(_projectId, 1, "{}", policy.Id, policy.Id, Markup, 4, now);
        _round.EnterStage(RoundStageKind.RewardModel, now);
        _round.FinishStage(Markup, now);
        db.LoopRounds.Add(_round);
        await db.SaveChangesAsync();
    }

    private static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private static readonly string RoundPage = $"/projects/{DemoSeeder.ProjectSlug}/rounds/1";

    [Fact]
    public async Task LoopPagesAndDownloads_Annotator_Return403()
    {
        var annotator = await SignedInAsync("Annotator");

        (await annotator.GetAsync($"/projects/{DemoSeeder.ProjectSlug}/loop")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync(RoundPage)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/rounds/{_round.Id}/pairs")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.GetAsync($"/models/{_policyId}/download")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Pairs_NotWrittenYet_404SayingSo()
    {
        var researcher = await SignedInAsync("Researcher");

        var response = await researcher.GetAsync($"/rounds/{_round.Id}/pairs");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Round 1 has not written its pairs yet");
        var missing = await researcher.GetAsync($"/rounds/{_round.Id + 1000}/pairs");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain($"There is no round {_round.Id + 1000}.");
    }

    [Fact]
    public async Task Pairs_Written_ResearcherDownloadsTheRoundsFile()
    {
        const string pairs = "{\"prompt\": [], \"chosen\": [], \"rejected\": [], \"source\": \"human\"}\n";
        var file = Path.Combine(App.StoreRoot, RoundFiles.Pairs(_round.Id));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, pairs);
        var researcher = await SignedInAsync("Researcher");

        var response = await researcher.GetAsync($"/rounds/{_round.Id}/pairs");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe(pairs);
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldBe($"{DemoSeeder.ProjectSlug}-round-1-pairs.jsonl");
        Parse(await researcher.GetStringAsync(RoundPage)).QuerySelector("[data-testid=download-pairs]")!
            .GetAttribute("href").ShouldBe($"/rounds/{_round.Id}/pairs");
    }

    [Fact]
    public async Task ModelDownload_Researcher_ZipOfTheCheckpointFolder()
    {
        var researcher = await SignedInAsync("Researcher");

        var response = await researcher.GetAsync($"/models/{_policyId}/download");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        await using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        zip.Entries.Select(e => e.FullName).Order().ShouldBe(["loop-base/config.json", "loop-base/tokenizer.json"]);
        (await researcher.GetAsync($"/models/{_policyId + 1000}/download")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RoundPage_MarkupInWhoStartedItAndInASummary_ShownAsText()
    {
        var researcher = await SignedInAsync("Researcher");

        var response = await researcher.GetAsync(RoundPage);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body.Length > 4000 ? body[..4000] : body);
        var page = Parse(body);
        page.QuerySelector("[data-testid=round-started-by]")!.TextContent.ShouldBe(Markup);
        var summary = page.QuerySelector("[data-testid=stage-RewardModel-summary]")!;
        summary.TextContent.ShouldBe(Markup);
        page.QuerySelector("[data-testid=round-page]")!.QuerySelectorAll("script, img").ShouldBeEmpty();
        page.QuerySelector("[data-testid=stage-RewardModel]")!.GetAttribute("data-status").ShouldBe("Done");
        page.QuerySelector("[data-testid=stage-Sample]")!.GetAttribute("data-status").ShouldBe("Pending");
        page.QuerySelector("[data-testid=no-pairs]").ShouldNotBeNull();
    }

    [Fact]
    public async Task RoundPage_RoundRetrainedSpanAndPrincipleModels_LinksEachByItsNameAsText()
    {
        await using (var db = Database.CreateContext())
        {
            var span = new ModelVersion("span " + Markup, ModelKind.SpanReward, "models/span");
            var principle = new ModelVersion("principle " + Markup, ModelKind.PrincipleReward, "models/principle");
            db.ModelVersions.AddRange(span, principle);
            await db.SaveChangesAsync();
            var round = await db.LoopRounds.SingleAsync(r => r.Id == _round.Id);
            round.RecordSpanRewardModel(span.Id);
            round.RecordPrincipleRewardModel(principle.Id);
            await db.SaveChangesAsync();
        }
        var researcher = await SignedInAsync("Researcher");

        var page = Parse(await researcher.GetStringAsync(RoundPage));

        page.QuerySelector("[data-testid=round-span-reward-model]")!.TextContent.Trim().ShouldStartWith("span " + Markup);
        page.QuerySelector("[data-testid=round-principle-reward-model]")!.TextContent.Trim().ShouldStartWith("principle " + Markup);
        page.QuerySelector("[data-testid=round-page]")!.QuerySelectorAll("script, img").ShouldBeEmpty();
    }

    [Fact]
    public async Task RoundPage_NoRetrainedSpanOrPrincipleModel_ShowsNeitherRow()
    {
        var researcher = await SignedInAsync("Researcher");

        var page = Parse(await researcher.GetStringAsync(RoundPage));

        page.QuerySelector("[data-testid=round-span-reward-model]").ShouldBeNull();
        page.QuerySelector("[data-testid=round-principle-reward-model]").ShouldBeNull();
    }

    [Fact]
    public async Task RoundPage_NoSuchRound_404SayingWhich()
    {
        var researcher = await SignedInAsync("Researcher");

        var response = await researcher.GetAsync($"/projects/{DemoSeeder.ProjectSlug}/rounds/99");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("has no round 99");
    }

    [Fact]
    public async Task LoopPage_Researcher_ShowsTheSettingsFormTheRoundsAndTheirNumbers()
    {
        var researcher = await SignedInAsync("Researcher");

        var page = Parse(await researcher.PageAsync($"/projects/{DemoSeeder.ProjectSlug}/loop"));

        foreach (var field in new[] { "base_policy", "cron", "every_new_labels", "responses_per_prompt", "human_share", "label_deadline", "dpo.beta", "reward.learning_rate" })
            page.QuerySelector($"[data-testid='field-{field}']").ShouldNotBeNull(field);
        page.QuerySelector("[data-testid=round-metrics-1]").ShouldNotBeNull();
        Parse(await researcher.PageAsync($"/projects/{DemoSeeder.ProjectSlug}")).QuerySelector("[data-testid=loop-link]")!
            .GetAttribute("href").ShouldBe($"/projects/{DemoSeeder.ProjectSlug}/loop");
    }

    [Fact]
    public async Task SaveAndStart_Researcher_SavesInTheirNameAndQueuesTheNextRound_AnnotatorRefused()
    {
        var actions = Service<LoopActions>();
        var model = LoopSettingsModel.From(null, _policyId);
        model.DpoBeta = 0.25;
        await using (var db = Database.CreateContext())
        {
            // Round 1 is still going; it ends so that round 2 may start.
            var round = await db.LoopRounds.SingleAsync(r => r.Id == _round.Id);
            round.Cancel(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        (await actions.SaveAsync(await AsAsync("Researcher"), _projectId, model, CancellationToken.None)).ShouldBeEmpty();
        var (number, errors) = await actions.StartRoundAsync(await AsAsync("Researcher"), _projectId, CancellationToken.None);
        var again = await actions.StartRoundAsync(await AsAsync("Researcher"), _projectId, CancellationToken.None);

        (number, errors.Count).ShouldBe((2, 0));
        again.Errors.ShouldHaveSingleItem().ShouldStartWith("round: round 2 is still Queued");
        await using var check = Database.CreateContext();
        var saved = await check.LoopSettings.SingleAsync(s => s.ProjectId == _projectId);
        (saved.BasePolicyId, saved.UpdatedBy).ShouldBe((_policyId, Account("Researcher").Email));
        saved.DpoConfigJson.ShouldContain("\"beta\": 0.25");
        (await check.LoopRounds.SingleAsync(r => r.Number == 2)).StartedBy.ShouldBe(Account("Researcher").Email);
        await Should.ThrowAsync<AccessRefusedException>(async () =>
            await actions.SaveAsync(await AsAsync("Annotator"), _projectId, model, CancellationToken.None));
        await Should.ThrowAsync<AccessRefusedException>(async () =>
            await actions.StartRoundAsync(await AsAsync("Annotator"), _projectId, CancellationToken.None));
    }

    [Fact]
    public async Task Save_BadCronAndUnknownPolicy_RefusedAtTheirFieldsAndNothingStored()
    {
        var model = LoopSettingsModel.From(null, _policyId + 1000);
        (model.Enabled, model.Cron) = (true, "every full moon");

        var errors = await Service<LoopActions>().SaveAsync(await AsAsync("Researcher"), _projectId, model, CancellationToken.None);

        LoopSettingsModel.Locate(errors).Select(e => e.Property).ShouldBe([nameof(LoopSettingsModel.BasePolicyId)]);
        model.BasePolicyId = _policyId;
        var cron = await Service<LoopActions>().SaveAsync(await AsAsync("Researcher"), _projectId, model, CancellationToken.None);
        LoopSettingsModel.Locate(cron).ShouldHaveSingleItem().Property.ShouldBe(nameof(LoopSettingsModel.Cron));
        await using var check = Database.CreateContext();
        (await check.LoopSettings.AnyAsync(s => s.ProjectId == _projectId)).ShouldBeFalse();
    }

    [Fact]
    public async Task ModelVersions_PolicyMadeByARound_LinksToThatRound()
    {
        await using (var db = Database.CreateContext())
        {
            db.ModelVersions.Add(new ModelVersion("round 1 policy", ModelKind.Policy, "models/round-1", parentId: _policyId,
                origin: ModelOrigin.Round, roundId: _round.Id));
            await db.SaveChangesAsync();
        }

        var page = await Service<TrainingQuery>().ModelVersionsAsync(new PageRequest(0, 10), CancellationToken.None);

        page.Items.Single(m => m.Name == "round 1 policy").RoundPage.ShouldBe(RoundPage);
        page.Items.Single(m => m.Name == "loop base").RoundPage.ShouldBeNull();
    }
}
