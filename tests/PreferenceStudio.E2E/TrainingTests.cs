using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>A researcher launches a reward model in the browser and watches it train on the app's own job node.</summary>
public sealed class TrainingTests : BrowserTest
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "ps-e2e-store-" + Guid.NewGuid().ToString("N"));

    protected override AppServer CreateApp(string connectionString) => new(connectionString, executeJobsWithStore: _store);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_store))
            Directory.Delete(_store, recursive: true);
    }

    private async Task SeedLabelsAndBaseModelAsync()
    {
        TinyCheckpoints.Create(Path.Combine(_store, "models", "base"), "qwen2");
        await using var db = Database.CreateContext();
        db.ModelVersions.Add(new ModelVersion("tiny base", ModelKind.Policy, "models/base"));
        var annotator = (await db.Users.SingleAsync(u => u.Email == "annotator@demo.local")).Id;
        var project = await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug);
        var tasks = await db.Tasks.Where(t => t.ProjectId == project.Id && t.Kind == TaskKind.Pairwise).ToListAsync();
        foreach (var task in tasks)
        {
            var (a, b) = (task.Responses[0].ResponseId, task.Responses[1].ResponseId);
            db.Annotations.Add(new PairwiseAnnotation(
                new AnnotationContext(task.Id, annotator, null, Guid.NewGuid(), TimeSpan.FromSeconds(5), [a, b], null, DateTimeOffset.UtcNow),
                a, b, PairwisePreference.ABetter, bothBad: false));
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Researcher_LaunchesARewardModel_WatchesItTrainToAModelVersion()
    {
        await SeedLabelsAndBaseModelAsync();
        await SignInAsync("researcher@demo.local");

        await Page.GotoAsync("/training");
        await Page.SelectOptionAsync("#project", new SelectOptionValue { Label = "Demo: helpful and honest answers" });
        await Page.FillAsync("#learning-rate", "0.001");
        await Page.FillAsync("#batch-size", "2");
        await Page.FillAsync("#epochs", "20");
        await Page.FillAsync("#eval-share", "0");
        await Page.GetByText("Launch training").ClickAsync();
        await Page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/training/[0-9]+$"));

        // The status section polls itself: the badge moves on without a reload, then the charts appear.
        var badge = Page.GetByTestId("run-state");
        await Assertions.Expect(badge).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });
        await Page.Locator("[data-testid=chart-loss] canvas").WaitForAsync();
        await ScreenshotAsync("training-run");

        await using var db = Database.CreateContext();
        var run = await db.TrainingRuns.SingleAsync();
        run.State.ShouldBe(RunState.Succeeded);
        run.TotalSteps.ShouldBe(20 * 2);  // four pairwise labels, two pairs a step
        (await db.RunMetrics.CountAsync(m => m.RunId == run.Id && m.Key == "loss")).ShouldBe(run.TotalSteps);
        (await db.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId)).Kind.ShouldBe(ModelKind.Reward);
        await Assertions.Expect(Page.GetByTestId("output-model")).ToContainTextAsync($"run {run.Id}");

        await Page.GotoAsync("/training");
        await ScreenshotAsync("training");
        ConsoleErrors.ShouldBeEmpty();
    }
}
