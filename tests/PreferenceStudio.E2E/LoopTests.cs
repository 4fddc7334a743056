using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Loop;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>
/// A researcher turns the loop on for the demo project and starts a round by hand. No worker runs here, so the round
/// stays queued in front of its first stage; a change written as a worker writes it (row, then loop_round_changed)
/// reaches the open page without a request, and the researcher cancels the round. A round that really runs, stage by
/// stage, is <see cref="LoopRoundTests"/>.
/// </summary>
public sealed class LoopTests : BrowserTest
{
    private static readonly string LoopUrl = $"/projects/{DemoSeeder.ProjectSlug}/loop";

    // A shared two-core machine: other suites' builds and tests may slow a circuit's first render well past 5 s.
    public LoopTests() => Assertions.SetDefaultExpectTimeout(15_000);

    private async Task<int> SeedPolicyAsync()
    {
        await using var db = Database.CreateContext();
        var policy = new ModelVersion("tiny base", ModelKind.Policy, "models/base");
        db.ModelVersions.Add(policy);
        await db.SaveChangesAsync();
        return policy.Id;
    }

    [Fact]
    public async Task Researcher_SavesLoopSettingsStartsARoundAndWatchesItsStages()
    {
        var policyId = await SeedPolicyAsync();
        await SignInAsync("researcher@demo.local");
        // The link is followed over the project page's live circuit, as a researcher who reads the page first does.
        await Page.OpenAsync($"/projects/{DemoSeeder.ProjectSlug}");
        await Page.GetByTestId("loop-link").ClickAsync();
        await Page.WaitForURLAsync(url => url.EndsWith(LoopUrl, StringComparison.Ordinal));
        await Assertions.Expect(Page.GetByTestId("loop-settings")).ToHaveAttributeAsync("data-interactive", "true");
        await Assertions.Expect(Page.GetByTestId("no-rounds")).ToBeVisibleAsync();

        // Nothing saved yet: the launcher's refusal is shown as it words it.
        await Page.GetByTestId("start-round").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("loop-errors")).ToContainTextAsync("has no loop settings yet");

        // A loop that runs on its own needs a schedule; a DPO value the config refuses is named at its field.
        await Page.GetByTestId("enabled").ClickAsync();
        await Page.FillAsync("[id='dpo.beta']", "0");
        await Page.PressAsync("[id='dpo.beta']", "Tab");
        await Assertions.Expect(Page.GetByTestId("field-dpo.beta")).ToContainTextAsync("dpo.beta must be positive, got 0");
        await Page.GetByTestId("loop-save").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("field-enabled")).ToContainTextAsync("needs a cron");
        await using (var db = Database.CreateContext())
            (await db.LoopSettings.CountAsync()).ShouldBe(0);

        await Page.FillAsync("[id='dpo.beta']", "0.2");
        await Page.FillAsync("#cron", "0 */6 * * *");
        await Page.PressAsync("#cron", "Tab");
        await Page.GetByTestId("loop-save").ClickAsync();
        await Assertions.Expect(Page.GetByText("Loop settings saved; the loop is on.")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("field-enabled")).Not.ToContainTextAsync("needs a cron");
        await Assertions.Expect(Page.GetByTestId("loop-updated")).ToContainTextAsync("researcher@demo.local");
        await using (var db = Database.CreateContext())
        {
            var settings = await db.LoopSettings.SingleAsync();
            (settings.Enabled, settings.Cron, settings.BasePolicyId).ShouldBe((true, "0 */6 * * *", policyId));
            DpoRunConfig.FromJson(settings.DpoConfigJson).Trainer.Beta.ShouldBe(0.2);
        }
        await Page.EvaluateAsync("window.scrollTo(0, 0)");
        await Page.ReadmeScreenshotAsync("loop", fullPage: false);

        await Page.GetByTestId("start-round").ClickAsync();
        await Page.WaitForURLAsync(url => url.EndsWith($"/projects/{DemoSeeder.ProjectSlug}/rounds/1", StringComparison.Ordinal));
        await Assertions.Expect(Page.GetByTestId("round-page")).ToHaveAttributeAsync("data-live", "true");
        await Assertions.Expect(Page.GetByTestId("round-state")).ToHaveTextAsync("Queued");
        await Assertions.Expect(Page.GetByTestId("round-started-by")).ToHaveTextAsync("researcher@demo.local");
        foreach (var kind in Enum.GetValues<RoundStageKind>())
            await Assertions.Expect(Page.GetByTestId($"stage-{kind}")).ToHaveAttributeAsync("data-status", "Pending");
        await Assertions.Expect(Page.GetByTestId("round-policy")).ToContainTextAsync("tiny base");
        await Assertions.Expect(Page.GetByTestId("no-pairs")).ToBeVisibleAsync();

        // The first stage starts as a worker would start it: the open page follows without a request of its own.
        var requests = new List<string>();
        Page.Request += (_, r) =>
        {
            if (r.ResourceType is "document" or "fetch" or "xhr")
                lock (requests) requests.Add($"{r.Method} {r.Url}");
        };
        await using (var db = Database.CreateContext())
        {
            var round = await db.LoopRounds.SingleAsync();
            round.EnterStage(RoundStageKind.RewardModel, DateTimeOffset.UtcNow);
            round.ReportProgress(2, 10);
            await db.SaveChangesAsync();
            await db.Database.NotifyRoundChangedAsync(round.Id, CancellationToken.None);
        }
        await Assertions.Expect(Page.GetByTestId("stage-RewardModel")).ToHaveAttributeAsync("data-status", "Running");
        await Assertions.Expect(Page.GetByTestId("stage-RewardModel-progress")).ToHaveTextAsync("2 of 10");
        await Assertions.Expect(Page.GetByTestId("round-state")).ToHaveTextAsync("Running");
        lock (requests) requests.ShouldBeEmpty();

        await Page.GetByTestId("cancel-round").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("confirm-dialog")).ToContainTextAsync("registers no policy");
        await Page.GetByTestId("confirm-yes").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("round-state")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(Page.GetByTestId("stage-RewardModel")).ToHaveAttributeAsync("data-status", "Stopped");
        await Assertions.Expect(Page.GetByTestId("cancel-round")).ToHaveCountAsync(0);

        await Page.GetByTestId("loop-link").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("round-1")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("round-metrics-1")).ToBeVisibleAsync();
        await using (var check = Database.CreateContext())
            (await check.LoopRounds.SingleAsync()).State.ShouldBe(RoundState.Cancelled);
        ConsoleErrors.ShouldBeEmpty(string.Join("\n", ConsoleErrors));
    }
}
