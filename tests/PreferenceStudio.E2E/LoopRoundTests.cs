using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Loop;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Training;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>
/// A researcher starts a round in the browser and watches it run for real on the app's own job node: every stage
/// finishing in turn on the open round page, the DPO stage's run with its curve, and the round's numbers drawn on the
/// loop page. The loop is small (a tiny base, 4 prompts, K = 2, a few steps) so the round takes seconds of training.
/// </summary>
public sealed class LoopRoundTests : JobNodeBrowserTest
{
    // Five stages of training, sampling and judging on a shared two-core machine: each may take a while under load.
    public LoopRoundTests() => Assertions.SetDefaultExpectTimeout(180_000);

    /// <summary>The tiny base, labels for a first reward model, and loop settings saved earlier (all pairs ranked by the reward model).</summary>
    private async Task SeedLoopAsync()
    {
        TinyCheckpoints.Create(Path.Combine(Store, "models", "base"), "qwen2");
        int projectId, baseId;
        await using (var db = Database.CreateContext())
        {
            var policy = new ModelVersion("tiny base", ModelKind.Policy, "models/base");
            db.ModelVersions.Add(policy);
            await db.SaveChangesAsync();
            (projectId, baseId) = ((await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug)).Id, policy.Id);
        }
        await DemoProjectLabels.LabelEveryPairwiseTaskAsync(Database);
        var reward = new RewardRunConfig { Trainer = new RewardConfig { LearningRate = 1e-3, BatchSize = 2, Epochs = 2, MaxLength = 512, Seed = 7 }, EvalShare = 0.2 };
        var dpo = new DpoRunConfig { Trainer = new DpoConfig { LearningRate = 1e-3, BatchSize = 2, Epochs = 3, MaxLength = 512, Seed = 7 }, EvalShare = 0 };
        var change = new LoopSettingsChange(Enabled: false, Cron: null, EveryNewLabels: null, ResponsesPerPrompt: 2, PromptsPerRound: 4, HumanShare: 0,
            LabelDeadline: TimeSpan.FromMinutes(30), EvalPrompts: 3, reward.ToJson(), dpo.ToJson());
        await using var scope = App.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<LoopSettingsStore>().SaveAsync(projectId, baseId, change, "researcher@demo.local", CancellationToken.None))
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task Researcher_StartsARound_WatchesEveryStageFinishAndTheNewPolicysNumbers()
    {
        await SeedLoopAsync();
        await SignInAsync("researcher@demo.local");
        await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}/loop");
        await Assertions.Expect(Page.GetByTestId("loop-settings")).ToHaveAttributeAsync("data-interactive", "true");
        await Page.GetByTestId("start-round").ClickAsync();
        await Page.WaitForURLAsync(url => url.EndsWith($"/projects/{DemoSeeder.ProjectSlug}/rounds/1", StringComparison.Ordinal));
        await Assertions.Expect(Page.GetByTestId("round-page")).ToHaveAttributeAsync("data-live", "true");

        // Each stage finishes in order on the open page, pushed as the job node writes it; each says what it made.
        foreach (var kind in Enum.GetValues<RoundStageKind>())
        {
            await Assertions.Expect(Page.GetByTestId($"stage-{kind}")).ToHaveAttributeAsync("data-status", "Done");
            await Assertions.Expect(Page.GetByTestId($"stage-{kind}-summary")).Not.ToBeEmptyAsync();
        }
        await Assertions.Expect(Page.GetByTestId("round-state")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(Page.GetByTestId("stage-Sample-summary")).ToContainTextAsync("4 prompts, 8 samples");
        await Assertions.Expect(Page.GetByTestId("stage-Pairs-summary")).ToContainTextAsync("reward-model pairs");
        await Assertions.Expect(Page.GetByTestId("stage-Evaluate-summary")).ToContainTextAsync("win-rate");
        await Assertions.Expect(Page.GetByTestId("cancel-round")).ToHaveCountAsync(0);
        await Page.EvaluateAsync("window.scrollTo(0, 0)");
        await Page.ReadmeScreenshotAsync("loop-round");

        await using (var db = Database.CreateContext())
        {
            var round = await db.LoopRounds.SingleAsync();
            round.State.ShouldBe(RoundState.Succeeded);
            var policy = await db.ModelVersions.SingleAsync(m => m.Id == round.OutputPolicyId);
            (policy.Origin, policy.RoundId, policy.ParentId).ShouldBe((ModelOrigin.Round, round.Id, round.PolicyId));
        }

        // The DPO stage's run: its page has the loss curve and the new policy's lineage back to the base.
        await Page.GetByTestId("stage-Dpo-run").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("run-page")).ToHaveAttributeAsync("data-live", "true");
        await Assertions.Expect(Page.GetByTestId("chart-loss")).Not.ToHaveAttributeAsync("data-points", "0");
        await Assertions.Expect(Page.GetByTestId("lineage")).ToContainTextAsync("tiny base");

        // The loop page draws the round: the reward model's accuracy and the win-rates, written out beside the chart.
        await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}/loop");
        await Assertions.Expect(Page.GetByTestId("round-charts").Locator("svg")).ToBeVisibleAsync();
        var row = Page.GetByTestId("round-metrics-1").Locator("td");
        for (var cell = 1; cell <= 3; cell++)  // accuracy, win-rate against the previous policy, against the base
            await Assertions.Expect(row.Nth(cell)).ToHaveTextAsync(new Regex(@"^[01]\.\d{3}$"));
        ConsoleErrors.ShouldBeEmpty(string.Join("\n", ConsoleErrors));
    }
}
