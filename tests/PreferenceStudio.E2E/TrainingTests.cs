using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>A researcher launches a reward model in the browser and watches it train on the app's own job node.</summary>
public sealed class TrainingTests : JobNodeBrowserTest
{
    /// <summary>Four pairs, two a step: enough steps that the curve visibly grows over several pushes (one a second).
    /// 30 epochs (60 steps) finished in about 2 s on a quiet machine, one push short of the test's "several".</summary>
    private const int TrainingEpochs = 120;

    private async Task SeedLabelsAndBaseModelAsync()
    {
        TinyCheckpoints.Create(Path.Combine(Store, "models", "base"), "qwen2");
        await using (var db = Database.CreateContext())
        {
            db.ModelVersions.Add(new ModelVersion("tiny base", ModelKind.Policy, "models/base"));
            await db.SaveChangesAsync();
        }
        await DemoProjectLabels.LabelEveryPairwiseTaskAsync(Database);
    }

    /// <summary>Waits until the page's element says its circuit is live, so clicks reach the server.</summary>
    private async Task WaitForCircuitAsync(string testId, string attribute) =>
        await Assertions.Expect(Page.GetByTestId(testId)).ToHaveAttributeAsync(attribute, "true");

    private async Task<int> PlottedLossPointsAsync() =>
        int.Parse(await Page.GetByTestId("chart-loss").GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Researcher_LaunchesARewardModel_WatchesTheCurveGrowWithoutARequestAndSeesItsModelVersion()
    {
        await SeedLabelsAndBaseModelAsync();
        await SignInAsync("researcher@demo.local");
        await Page.GotoAsync("/training");
        await WaitForCircuitAsync("launch", "data-interactive");

        // A value the config refuses is named at its field, and nothing is launched.
        await Page.FillAsync("#learning_rate", "0");
        await Page.PressAsync("#learning_rate", "Tab");
        await Assertions.Expect(Page.GetByTestId("field-learning_rate")).ToContainTextAsync("learning_rate must be in (0, 1), got 0");
        await Page.GetByTestId("launch-button").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("field-learning_rate")).ToContainTextAsync("learning_rate must be in (0, 1), got 0");
        await using (var db = Database.CreateContext())
            (await db.TrainingRuns.CountAsync()).ShouldBe(0);

        await Page.FillAsync("#learning_rate", "0.001");
        await Page.PressAsync("#learning_rate", "Tab");
        await Assertions.Expect(Page.GetByTestId("field-learning_rate")).Not.ToContainTextAsync("must be");
        await Page.FillAsync("#per_device_train_batch_size", "2");
        await Page.FillAsync("#num_train_epochs", TrainingEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.FillAsync("#eval_share", "0");
        await Page.FillAsync("#save_steps", "0");
        await Page.PressAsync("#save_steps", "Tab");
        await Page.GetByTestId("launch-button").ClickAsync();
        await Page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/training/[0-9]+$"));
        await WaitForCircuitAsync("run-page", "data-live");

        // From here on the page only listens: every point must come over the circuit, none through a request.
        var requests = new List<string>();
        Page.Request += (_, r) =>
        {
            if (r.ResourceType is "document" or "fetch" or "xhr" or "eventsource")
                lock (requests) requests.Add($"{r.Method} {r.Url}");
        };
        var seen = new List<int>();
        var badge = Page.GetByTestId("run-state");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (await badge.InnerTextAsync() is not ("Succeeded" or "Failed" or "Cancelled") && DateTime.UtcNow < deadline)
        {
            var points = await PlottedLossPointsAsync();
            if (seen.Count == 0 || seen[^1] != points)
                seen.Add(points);
            await Task.Delay(100);
        }
        (await badge.InnerTextAsync()).ShouldBe("Succeeded", $"plotted points seen: {string.Join(", ", seen)}");
        seen.Add(await PlottedLossPointsAsync());

        lock (requests) requests.ShouldBeEmpty();
        // The curve grew in several pushes while the page stayed open: at least two counts between none and all.
        var total = TrainingEpochs * 2;
        seen.Count(n => n > 0 && n < total).ShouldBeGreaterThanOrEqualTo(2, $"plotted points seen: {string.Join(", ", seen)}");
        seen.ShouldBe(seen.Order().ToList());
        seen[^1].ShouldBe(total);
        await using var check = Database.CreateContext();
        var run = await check.TrainingRuns.SingleAsync();
        run.State.ShouldBe(RunState.Succeeded);
        run.TotalSteps.ShouldBe(total);  // four pairwise labels, two pairs a step
        RewardRunConfig.FromJson(run.ConfigJson).Trainer.LearningRate.ShouldBe(0.001);
        (await check.RunMetrics.CountAsync(m => m.RunId == run.Id && m.Key == "loss")).ShouldBe(run.TotalSteps);
        var version = await check.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        version.Kind.ShouldBe(ModelKind.Reward);
        await Assertions.Expect(Page.GetByTestId("output-model")).ToContainTextAsync(version.Name);
        await Assertions.Expect(Page.GetByTestId("held-out-loss")).ToHaveCountAsync(0);  // nothing held out: eval_share 0
        await Page.ReadmeScreenshotAsync("training-run");

        await Page.GotoAsync("/training");
        await Assertions.Expect(Page.GetByTestId($"model-{version.Id}")).ToHaveTextAsync(version.Name);
        await Assertions.Expect(Page.GetByTestId($"run-{run.Id}")).ToBeVisibleAsync();
        await Page.ReadmeScreenshotAsync("training");
        ConsoleErrors.ShouldBeEmpty(string.Join("\n", ConsoleErrors));
    }

    [Fact]
    public async Task Researcher_LaunchesADpoRunFromTheForm_ItTrainsAndRegistersAPolicyWhoseParentIsTheBase()
    {
        await SeedLabelsAndBaseModelAsync();
        await SignInAsync("researcher@demo.local");
        await Page.GotoAsync("/training");
        await WaitForCircuitAsync("launch", "data-interactive");

        await Page.GetByTestId("kind-dpo").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("field-beta")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("field-use_margin")).ToHaveCountAsync(0);
        // A value the DPO config refuses is named at its field.
        await Page.FillAsync("#beta", "0");
        await Page.PressAsync("#beta", "Tab");
        await Assertions.Expect(Page.GetByTestId("field-beta")).ToContainTextAsync("beta must be positive, got 0");
        await Page.FillAsync("#beta", "0.2");
        await Page.FillAsync("#per_device_train_batch_size", "2");
        await Page.FillAsync("#eval_share", "0");
        await Page.PressAsync("#eval_share", "Tab");
        await Assertions.Expect(Page.GetByTestId("field-beta")).Not.ToContainTextAsync("must be");
        await Page.GetByTestId("launch-button").ClickAsync();
        await Page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/training/[0-9]+$"));

        await Assertions.Expect(Page.GetByTestId("run-state")).ToHaveTextAsync("Succeeded", new() { Timeout = 300_000 });
        await using var check = Database.CreateContext();
        var run = await check.TrainingRuns.SingleAsync();
        run.Kind.ShouldBe(TrainingKind.Dpo);
        DpoRunConfig.FromJson(run.ConfigJson).Trainer.Beta.ShouldBe(0.2);
        var version = await check.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        (version.Kind, version.ParentId).ShouldBe((ModelKind.Policy, run.BaseModelVersionId));
        await Assertions.Expect(Page.GetByTestId("output-model")).ToContainTextAsync(version.Name);
        await Assertions.Expect(Page.GetByTestId("lineage")).ToHaveTextAsync($"lineage: {version.Name} ← tiny base");
        await Assertions.Expect(Page.GetByTestId("output-labels")).ToContainTextAsync($"trained on {version.LabelsSeen} label(s)");
        ConsoleErrors.ShouldBeEmpty(string.Join("\n", ConsoleErrors));
    }

    [Fact]
    public async Task Researcher_CancelsAQueuedRunBehindTheDialog_RunIsCancelled()
    {
        long runId;
        await using (var db = Database.CreateContext())
        {
            var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
            // Recorded without a job: no worker picks it up, so it waits for the researcher's decision.
            var run = new TrainingRun(TrainingKind.RewardModel, new RewardRunConfig().ToJson(), "researcher@demo.local", project.Id);
            db.TrainingRuns.Add(run);
            await db.SaveChangesAsync();
            runId = run.Id;
        }
        await SignInAsync("researcher@demo.local");
        await Page.GotoAsync($"/training/{runId}");
        await WaitForCircuitAsync("run-page", "data-live");

        await Page.GetByTestId("cancel-run").ClickAsync();
        await Page.GetByTestId("confirm-no").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("confirm-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByTestId("run-state")).ToHaveTextAsync("Queued");
        await Page.GetByTestId("cancel-run").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("confirm-dialog")).ToContainTextAsync("keeps no model");
        await Page.GetByTestId("confirm-yes").ClickAsync();

        await Assertions.Expect(Page.GetByTestId("run-state")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(Page.GetByText($"Run {runId} is cancelled.")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("cancel-run")).ToHaveCountAsync(0);
        await using var check = Database.CreateContext();
        var cancelled = await check.TrainingRuns.SingleAsync(r => r.Id == runId);
        cancelled.State.ShouldBe(RunState.Cancelled);
        cancelled.FinishedAt.ShouldNotBeNull();
        ConsoleErrors.ShouldBeEmpty(string.Join("\n", ConsoleErrors));
    }
}
