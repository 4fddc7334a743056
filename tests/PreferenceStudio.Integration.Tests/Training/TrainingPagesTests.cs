using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Training;

/// <summary>A researcher launches, follows and cancels reward-model runs through the pages, as in a browser.</summary>
public class TrainingPagesTests : WebAppTest
{
    private int _projectId;
    private int _baseModelId;

    /// <summary>A project of its own and a policy checkpoint to train from (the path is never read: no worker runs here).</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Database.CreateContext();
        var (project, _, _) = await Seed.PairwiseTaskAsync(db, slug: "rm");
        var baseModel = new ModelVersion("test base model", ModelKind.Policy, "models/test-base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        (_projectId, _baseModelId) = (project.Id, baseModel.Id);
    }

    private static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>The launch form's hidden fields (antiforgery, handler) plus a valid request, ready for the test's own values.</summary>
    private async Task<Dictionary<string, string>> LaunchFormAsync(HttpClient client)
    {
        var fields = Parse(await client.GetStringAsync("/training")).QuerySelector("form[data-testid=launch-form]")!
            .QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["project"] = _projectId.ToString();
        fields["base_model"] = _baseModelId.ToString();
        fields["learning_rate"] = "2e-5";
        fields["per_device_train_batch_size"] = "4";
        fields["num_train_epochs"] = "2";
        fields["max_length"] = "256";
        fields["warmup_ratio"] = "0.1";
        fields["use_margin"] = "true";
        fields["seed"] = "7";
        fields["eval_share"] = "0.2";
        return fields;
    }

    private async Task<TrainingRun> SeedRunAsync()
    {
        await using var db = Database.CreateContext();
        var run = new TrainingRun(TrainingKind.RewardModel, new RewardRunConfig().ToJson(), Account("Researcher").Email, _projectId, _baseModelId);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    private static async Task<HttpResponseMessage> PostCancelWithHeaderTokenAsync(HttpClient client, long runId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/training/{runId}/cancel");
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync());
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task TrainingPage_Anonymous_RedirectsToSignIn()
    {
        var response = await App.CreateBrowser().GetAsync("/training");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/account/login?ReturnUrl=" + Uri.EscapeDataString("/training"));
    }

    [Fact]
    public async Task TrainingPageAndLaunch_Annotator_Returns403AndStoresNothing()
    {
        var annotator = await SignedInAsync("Annotator");
        var launch = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await annotator.AntiforgeryTokenAsync(),
            ["_handler"] = "launch",
            ["project"] = _projectId.ToString(),
            ["base_model"] = _baseModelId.ToString(),
        };

        (await annotator.GetAsync("/training")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await annotator.PostAsync("/training", new FormUrlEncodedContent(launch))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.CountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("Researcher", true)]
    [InlineData("Admin", true)]
    [InlineData("Annotator", false)]
    public async Task Navigation_ByRole_LinksTrainingOnlyForResearch(string role, bool linked)
    {
        var client = await SignedInAsync(role);

        var nav = Parse(await client.GetStringAsync("/")).QuerySelector("nav")!;

        (nav.QuerySelector("a[href='/training']") is not null).ShouldBe(linked);
    }

    [Fact]
    public async Task Launch_LearningRateZero_Returns400NamingTheFieldKeepingTheValuesAndStoringNoRun()
    {
        var researcher = await SignedInAsync("Researcher");
        var fields = await LaunchFormAsync(researcher);
        fields["learning_rate"] = "0";

        var response = await researcher.PostAsync("/training", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelector("[data-testid=launch-errors]")!.TextContent.ShouldContain("learning_rate must be in (0, 1), got 0");
        var form = page.QuerySelector("form[data-testid=launch-form]")!;
        string Value(string name) => form.QuerySelector($"input[name='{name}']")!.GetAttribute("value")!;
        Value("learning_rate").ShouldBe("0");
        Value("per_device_train_batch_size").ShouldBe("4");
        Value("num_train_epochs").ShouldBe("2");
        Value("max_length").ShouldBe("256");
        Value("warmup_ratio").ShouldBe("0.1");
        Value("seed").ShouldBe("7");
        Value("eval_share").ShouldBe("0.2");
        form.QuerySelector("input[name=use_margin]")!.HasAttribute("checked").ShouldBeTrue();
        form.QuerySelector("select[name=project] option[selected]")!.GetAttribute("value").ShouldBe(_projectId.ToString());
        form.QuerySelector("select[name=base_model] option[selected]")!.GetAttribute("value").ShouldBe(_baseModelId.ToString());
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.CountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData("per_device_train_batch_size", "many", "per_device_train_batch_size must be a whole number, got 'many'")]
    [InlineData("eval_share", "1", "eval_share must be in [0, 1), got 1")]
    [InlineData("project", "999999", "project: there is no project 999999")]
    [InlineData("base_model", "", "base_model: choose a base model")]
    public async Task Launch_BadField_Returns400NamingItAndStoresNoRun(string field, string value, string error)
    {
        var researcher = await SignedInAsync("Researcher");
        var fields = await LaunchFormAsync(researcher);
        fields[field] = value;

        var response = await researcher.PostAsync("/training", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-testid=launch-errors]")!.TextContent.ShouldContain(error);
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Launch_ValidForm_StoresOneQueuedRunWithItsConfigAndRedirectsToIt()
    {
        var researcher = await SignedInAsync("Researcher");
        var fields = await LaunchFormAsync(researcher);

        var response = await researcher.PostAsync("/training", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        await using var db = Database.CreateContext();
        var run = await db.TrainingRuns.SingleAsync();
        response.Headers.Location!.ToString().ShouldBe($"/training/{run.Id}");
        // The test host enqueues into Hangfire's tables without running jobs: the run waits, linked to its job.
        run.State.ShouldBe(RunState.Queued);
        run.JobId.ShouldNotBeNull();
        (run.Kind, run.ProjectId, run.BaseModelVersionId, run.CreatedBy).ShouldBe((TrainingKind.RewardModel, _projectId, _baseModelId, Account("Researcher").Email));
        var config = RewardRunConfig.FromJson(run.ConfigJson);
        config.Trainer.LearningRate.ShouldBe(2e-5);
        config.Trainer.BatchSize.ShouldBe(4);
        config.Trainer.Epochs.ShouldBe(2);
        config.Trainer.MaxLength.ShouldBe(256);
        config.Trainer.WarmupRatio.ShouldBe(0.1);
        config.Trainer.UseMargin.ShouldBeTrue();
        config.Trainer.Seed.ShouldBe(7UL);
        config.EvalShare.ShouldBe(0.2);

        var page = Parse(await researcher.GetStringAsync($"/training/{run.Id}"));
        page.QuerySelector("[data-testid=run-config]")!.TextContent.ShouldContain("\"learning_rate\"");
        page.QuerySelector("[data-testid=run-state]")!.TextContent.ShouldBe(run.State.ToString());
    }

    [Fact]
    public async Task TrainingPage_WithRuns_ListsThemWithLastLossAndAccuracy()
    {
        var run = await SeedRunAsync();
        await using (var db = Database.CreateContext())
        {
            var at = DateTimeOffset.UtcNow;
            db.RunMetrics.AddRange(
                new RunMetric(run.Id, 1, "loss", 0.9, at), new RunMetric(run.Id, 2, "loss", 0.4, at),
                new RunMetric(run.Id, 1, "rewards/accuracies", 0.5, at), new RunMetric(run.Id, 2, "rewards/accuracies", 0.75, at));
            await db.SaveChangesAsync();
        }
        var researcher = await SignedInAsync("Researcher");

        var row = Parse(await researcher.GetStringAsync("/training")).QuerySelector($"tr[data-testid=run-{run.Id}]")!;

        row.TextContent.ShouldContain("0.400");
        row.TextContent.ShouldContain("0.750");
        row.TextContent.ShouldContain("Project rm");
        row.TextContent.ShouldContain("test base model");
        row.QuerySelector($"a[href='/training/{run.Id}']").ShouldNotBeNull();
    }

    [Fact]
    public async Task RunPage_WithSeededMetrics_CarriesTheStepsAndLossesInItsChart()
    {
        var run = await SeedRunAsync();
        await using (var db = Database.CreateContext())
        {
            var at = DateTimeOffset.UtcNow;
            db.RunMetrics.AddRange(
                new RunMetric(run.Id, 1, "loss", 0.69, at),
                new RunMetric(run.Id, 2, "loss", 0.5, at),
                new RunMetric(run.Id, 3, "loss", 0.25, at),
                new RunMetric(run.Id, 3, "eval_loss", 0.4, at),
                new RunMetric(run.Id, 1, "rewards/accuracies", 0.5, at),
                new RunMetric(run.Id, 3, "rewards/accuracies", 1.0, at),
                new RunMetric(run.Id, 2, "grad_norm", 3.0, at));
            await db.SaveChangesAsync();
        }
        var researcher = await SignedInAsync("Researcher");

        var page = Parse(await researcher.GetStringAsync($"/training/{run.Id}"));

        var loss = page.QuerySelector("figure[data-testid=chart-loss]")!;
        loss.GetAttribute("data-x-time").ShouldBe("false");
        using var chart = JsonDocument.Parse(loss.QuerySelector("script[type='application/json']")!.TextContent);
        chart.RootElement.GetProperty("x").EnumerateArray().Select(x => x.GetInt32()).ShouldBe([1, 2, 3]);
        var series = chart.RootElement.GetProperty("series").EnumerateArray().ToList();
        series.Select(s => s.GetProperty("label").GetString()).ShouldBe(["loss", "eval_loss"]);
        series[0].GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ShouldBe([0.69, 0.5, 0.25]);
        series[1].GetProperty("values").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())
            .ShouldBe([null, null, 0.4]);
        page.QuerySelector("figure[data-testid=chart-accuracy]").ShouldNotBeNull();
    }

    [Fact]
    public async Task StatusFragment_ByRunState_PollsUntilTheRunIsFinished()
    {
        var run = await SeedRunAsync();
        var researcher = await SignedInAsync("Researcher");

        var queued = Parse(await researcher.GetStringAsync($"/training/{run.Id}")).QuerySelector("#run-status")!;
        queued.GetAttribute("hx-get").ShouldBe($"/training/{run.Id}/status");
        queued.GetAttribute("hx-trigger").ShouldBe("every 2s");
        await PostCancelWithHeaderTokenAsync(researcher, run.Id);
        var finished = Parse(await researcher.GetStringAsync($"/training/{run.Id}/status")).QuerySelector("#run-status")!;

        finished.HasAttribute("hx-trigger").ShouldBeFalse();
        finished.QuerySelector("[data-testid=run-state]")!.TextContent.ShouldBe("Cancelled");
        finished.QuerySelector("[data-testid=cancel-run]").ShouldBeNull();
    }

    [Fact]
    public async Task Cancel_QueuedRun_CancelsItAndASecondCancelChangesNothing()
    {
        var run = await SeedRunAsync();
        var researcher = await SignedInAsync("Researcher");
        // The page's own form, as a browser without JavaScript posts it: the token travels as a form field.
        var form = Parse(await researcher.GetStringAsync($"/training/{run.Id}")).QuerySelector($"form[action='/training/{run.Id}/cancel']")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");

        var first = await researcher.PostAsync($"/training/{run.Id}/cancel", new FormUrlEncodedContent(fields));

        first.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        first.Headers.Location!.ToString().ShouldBe($"/training/{run.Id}");
        await using var db = Database.CreateContext();
        var cancelled = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        cancelled.State.ShouldBe(RunState.Cancelled);
        cancelled.FinishedAt.ShouldNotBeNull();

        var second = await PostCancelWithHeaderTokenAsync(researcher, run.Id);

        second.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        var after = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
        after.State.ShouldBe(RunState.Cancelled);
        after.FinishedAt.ShouldBe(cancelled.FinishedAt);
    }

    [Fact]
    public async Task Cancel_WithoutAntiforgeryToken_Returns400AndLeavesTheRunQueued()
    {
        var run = await SeedRunAsync();
        var researcher = await SignedInAsync("Researcher");

        var response = await researcher.PostAsync($"/training/{run.Id}/cancel", null);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await using var db = Database.CreateContext();
        (await db.TrainingRuns.SingleAsync(r => r.Id == run.Id)).State.ShouldBe(RunState.Queued);
    }

    [Fact]
    public async Task RunPage_UnknownId_Returns404WithAnExplanation()
    {
        var researcher = await SignedInAsync("Researcher");

        var response = await researcher.GetAsync("/training/987654");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("There is no training run 987654.");
    }

    [Fact]
    public async Task RunPage_ConfigAndErrorWithMarkup_RenderThemAsText()
    {
        const string error = "IOException: <img src=x onerror=alert(1)>";
        long runId;
        await using (var db = Database.CreateContext())
        {
            var run = new TrainingRun(TrainingKind.RewardModel, """{"note": "</pre><script>alert(1)</script>"}""", "someone", _projectId, _baseModelId);
            db.TrainingRuns.Add(run);
            await db.SaveChangesAsync();
            run.Fail(error, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        var researcher = await SignedInAsync("Researcher");

        var html = await researcher.GetStringAsync($"/training/{runId}");

        html.ShouldNotContain("<script>alert(1)");
        html.ShouldNotContain("<img src=x");
        var page = Parse(html);
        page.QuerySelector("[data-testid=run-config]")!.TextContent.ShouldContain("</pre><script>alert(1)</script>");
        page.QuerySelector("[data-testid=run-error]")!.TextContent.Trim().ShouldBe(error);
    }

    [Fact]
    public async Task TrainingPage_ModelVersionNameWithScript_RendersItAsText()
    {
        const string name = "<script>alert('pwned')</script> base";
        await using (var db = Database.CreateContext())
        {
            db.ModelVersions.Add(new ModelVersion(name, ModelKind.Policy, "models/<b>odd</b>"));
            await db.SaveChangesAsync();
        }
        var researcher = await SignedInAsync("Researcher");

        var html = await researcher.GetStringAsync("/training");

        html.ShouldNotContain("<script>alert(");
        html.ShouldNotContain("<b>odd</b>");
        var page = Parse(html);
        page.QuerySelectorAll("[data-testid=model-versions] td").Select(td => td.TextContent).ShouldContain(name);
        page.QuerySelectorAll("select[name=base_model] option").Select(o => o.TextContent).ShouldContain(name);
    }
}
