using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.E2E;

/// <summary>A researcher launches a PPO run whose reward is a span model, weighted per category of its taxonomy, from the training page.</summary>
public sealed class PpoLaunchFormTests : JobNodeBrowserTest
{
    [Fact]
    public async Task Researcher_LaunchesPpoWithASpanReward_TheStoredRunNamesTheSpanModelAndItsWeights()
    {
        TinyCheckpoints.Create(Path.Combine(Store, "models", "base"), "qwen2");
        // A span model's folder as the span job writes it: what the form needs of it is its taxonomy.
        var spanFolder = Path.Combine(Store, "models", "span");
        Directory.CreateDirectory(spanFolder);
        await File.WriteAllTextAsync(Path.Combine(spanFolder, SpanRewardModel.LabelsFile), """{"categories": ["factual-error", "irrelevant"]}""");
        int spanId;
        await using (var db = Database.CreateContext())
        {
            var span = new ModelVersion("tiny span model", ModelKind.SpanReward, "models/span");
            db.ModelVersions.AddRange(new ModelVersion("tiny base", ModelKind.Policy, "models/base"), span);
            await db.SaveChangesAsync();
            spanId = span.Id;
        }
        await SignInAsync("researcher@demo.local");
        await Page.GotoAsync("/training");
        await Assertions.Expect(Page.GetByTestId("launch")).ToHaveAttributeAsync("data-interactive", "true");

        await Page.GetByTestId("kind-ppo").ClickAsync();
        // No source named: the refusal shows at the pickers.
        await Page.GetByTestId("launch-button").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("field-reward.span_model_id")).ToContainTextAsync("reward: name at least one reward source");

        await Page.ChooseAsync("field-reward.span_model_id", "tiny span model");
        await Assertions.Expect(Page.GetByTestId("span-category-0").Locator("label")).ToHaveTextAsync("factual-error");
        await Assertions.Expect(Page.GetByTestId("span-category-1").Locator("label")).ToHaveTextAsync("irrelevant");
        await Page.FillAsync("[id='reward.span_weight']", "2.5");
        // A negative cost is named at its category's field.
        var irrelevant = Page.GetByTestId("span-category-1").Locator("input");
        await irrelevant.FillAsync("-1");
        await irrelevant.PressAsync("Tab");
        await Assertions.Expect(Page.GetByTestId("span-category-1")).ToContainTextAsync("reward.segments.category_weights['irrelevant'] must be finite and not negative");
        await irrelevant.FillAsync("4");
        await irrelevant.PressAsync("Tab");
        await Assertions.Expect(Page.GetByTestId("span-category-1")).Not.ToContainTextAsync("must be finite");
        await Page.GetByTestId("launch-button").ClickAsync();
        await Page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/training/[0-9]+$"));

        await using var check = Database.CreateContext();
        var run = await check.TrainingRuns.SingleAsync();
        run.Kind.ShouldBe(TrainingKind.Ppo);
        var reward = PpoRunConfig.FromJson(run.ConfigJson).Reward;
        (reward.SpanModelId, reward.SpanWeight, reward.RewardModelId, reward.PrincipleModelId).ShouldBe((spanId, 2.5, (int?)null, (int?)null));
        reward.Segments.CategoryWeights.ShouldBe(new Dictionary<string, double> { ["factual-error"] = 1, ["irrelevant"] = 4 }, ignoreOrder: true);
    }
}
