using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.E2E;

/// <summary>
/// A researcher launches a PPO run from the training page whose reward is a span model, weighted per category of its
/// taxonomy, and a principle model with the principles it was trained on (one of them markup, which stays text).
/// </summary>
public sealed class PpoLaunchFormTests : JobNodeBrowserTest
{
    private const string ScriptPrinciple = "<script>document.title = 'injected'</script> Is it polite?";

    [Fact]
    public async Task Researcher_LaunchesPpoWithASpanReward_TheStoredRunNamesTheSpanModelAndItsWeights()
    {
        TinyCheckpoints.Create(Path.Combine(Store, "models", "base"), "qwen2");
        // A span model's folder as the span job writes it: what the form needs of it is its taxonomy.
        var spanFolder = Path.Combine(Store, "models", "span");
        Directory.CreateDirectory(spanFolder);
        await File.WriteAllTextAsync(Path.Combine(spanFolder, SpanRewardModel.LabelsFile), """{"categories": ["factual-error", "irrelevant"]}""");
        PrincipleSet.Save(Path.Combine(Store, "models", "principle"), [new PrincipleDefinition("polite", ScriptPrinciple)]);
        int spanId, principleId;
        await using (var db = Database.CreateContext())
        {
            var span = new ModelVersion("tiny span model", ModelKind.SpanReward, "models/span");
            var principle = new ModelVersion("tiny principle model", ModelKind.PrincipleReward, "models/principle");
            db.ModelVersions.AddRange(new ModelVersion("tiny base", ModelKind.Policy, "models/base"), span, principle);
            await db.SaveChangesAsync();
            (spanId, principleId) = (span.Id, principle.Id);
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
        // The principle model's own principles fill the list; a row added can be removed again.
        await Page.ChooseAsync("field-reward.principle_model_id", "tiny principle model");
        await Assertions.Expect(Page.GetByTestId("principle-text-0").Locator("input")).ToHaveValueAsync(ScriptPrinciple);
        (await Page.TitleAsync()).ShouldNotBe("injected");
        await Page.GetByTestId("add-principle").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("principle-text-1")).ToBeVisibleAsync();
        await Page.GetByTestId("remove-principle-1").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("principle-text-1")).ToHaveCountAsync(0);
        await Page.GetByTestId("launch-button").ClickAsync();
        await Page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, "/training/[0-9]+$"));

        await using var check = Database.CreateContext();
        var run = await check.TrainingRuns.SingleAsync();
        run.Kind.ShouldBe(TrainingKind.Ppo);
        var reward = PpoRunConfig.FromJson(run.ConfigJson).Reward;
        (reward.SpanModelId, reward.SpanWeight, reward.RewardModelId, reward.PrincipleModelId).ShouldBe((spanId, 2.5, (int?)null, principleId));
        reward.Segments.CategoryWeights.ShouldBe(new Dictionary<string, double> { ["factual-error"] = 1, ["irrelevant"] = 4 }, ignoreOrder: true);
        reward.Principles.ShouldBe([new WeightedPrinciple(ScriptPrinciple, 1)]);
    }
}
