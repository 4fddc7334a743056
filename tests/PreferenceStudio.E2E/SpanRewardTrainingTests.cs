using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Models;

namespace PreferenceStudio.E2E;

/// <summary>A researcher trains a span reward model from the training page and reads its per-category results and token rewards.</summary>
public sealed class SpanRewardTrainingTests : JobNodeBrowserTest
{
    [Fact]
    public async Task Researcher_LaunchesASpanRewardModel_SeesTheF1TableAndScoresAResponse()
    {
        TinyCheckpoints.Create(Path.Combine(Store, "models", "base"), "qwen2");
        await using (var db = Database.CreateContext())
        {
            db.ModelVersions.Add(new ModelVersion("tiny base", ModelKind.Policy, "models/base"));
            await db.SaveChangesAsync();
        }
        var labels = await DemoProjectSpanLabels.LabelEverySpanTaskTwiceAsync(Database);
        await SignInAsync("researcher@demo.local");
        await Page.GotoAsync("/training");
        await Assertions.Expect(Page.GetByTestId("launch")).ToHaveAttributeAsync("data-interactive", "true");

        await Page.GetByTestId("kind-span").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("field-class_weights")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("field-use_margin")).ToHaveCountAsync(0);
        // Weights that are not numbers are named at their field.
        await Page.FillAsync("#class_weights", "1, lots");
        await Page.PressAsync("#class_weights", "Tab");
        await Assertions.Expect(Page.GetByTestId("field-class_weights")).ToContainTextAsync("class_weights: 'lots' is not a number");
        await Page.FillAsync("#class_weights", "1, 5, 5, 5, 5");
        await Page.FillAsync("#learning_rate", "0.001");
        await Page.FillAsync("#per_device_train_batch_size", "2");
        await Page.FillAsync("#num_train_epochs", "3");
        await Page.FillAsync("#eval_share", "0.25");
        await Page.PressAsync("#eval_share", "Tab");
        await Assertions.Expect(Page.GetByTestId("field-class_weights")).Not.ToContainTextAsync("not a number");
        await Page.GetByTestId("launch-button").ClickAsync();
        await Page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/training/[0-9]+$"));

        await Assertions.Expect(Page.GetByTestId("run-state")).ToHaveTextAsync("Succeeded", new() { Timeout = 300_000 });
        await using var check = Database.CreateContext();
        var run = await check.TrainingRuns.SingleAsync();
        run.Kind.ShouldBe(TrainingKind.SpanRewardModel);
        var version = await check.ModelVersions.SingleAsync(m => m.Id == run.OutputModelVersionId);
        (version.Kind, version.LabelsSeen).ShouldBe((ModelKind.SpanReward, labels));
        // The per-category table, one row per span label of the demo project, in its order.
        var table = Page.GetByTestId("span-category-table");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(Page.GetByTestId("span-category-0").GetByTestId("category")).ToHaveTextAsync("factual-error");

        // A pasted response scored by the model: its text comes back token by token, with the reward.
        await Page.FillAsync("#score-text", "Paris is the capital of <b>Germany</b>.");
        await Page.PressAsync("#score-text", "Tab");
        await Page.GetByTestId("score-button").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("token-text")).ToHaveTextAsync("Paris is the capital of <b>Germany</b>.");
        await Assertions.Expect(Page.GetByTestId("token-reward")).ToContainTextAsync("reward -");
        ConsoleErrors.ShouldBeEmpty(string.Join("\n", ConsoleErrors));
    }
}
