using Bunit;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Models.Tokenization;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Web.Components.Pages.Training;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

/// <summary>Span and principle results and token highlights: read from the metrics, drawn with untrusted names and text as text.</summary>
public class RewardKindResultsTests : ComponentTest
{
    private const string Script = "<script>alert(1)</script>";

    [Fact]
    public void Categories_TrainerMetrics_OneRowPerCategoryInTheTaxonomysOrderThenByName()
    {
        var metrics = RewardKindResultsQuery.Parse("""
            {"eval_loss": 0.3, "eval_unsafe/precision": 0.5, "eval_unsafe/recall": 0.25, "eval_unsafe/f1": 0.333,
             "eval_factual-error/precision": 1, "eval_factual-error/recall": 1, "eval_factual-error/f1": 1, "eval_macro_f1": 0.667}
            """);

        RewardKindResultsQuery.Categories(metrics, ["unsafe", "factual-error"])
            .ShouldBe([new CategoryScore("unsafe", 0.5, 0.25, 0.333), new CategoryScore("factual-error", 1, 1, 1)]);
        RewardKindResultsQuery.Categories(metrics, []).Select(c => c.Category).ShouldBe(["factual-error", "unsafe"]);
    }

    [Fact]
    public void Principles_TrainerMetrics_InTheModelsPrincipleOrderWithTextsAndCounts()
    {
        var metrics = RewardKindResultsQuery.Parse("""{"eval_accuracy": 0.75, "eval_accuracy/concise": 0.5, "eval_examples/concise": 2, "eval_accuracy/factual": 1, "eval_examples/factual": 2}""");

        var rows = RewardKindResultsQuery.Principles(metrics, [new PrincipleDefinition("factual", "No false claims."), new PrincipleDefinition("concise", "Short.")]);

        rows.ShouldBe([new PrincipleScore("factual", "No false claims.", 1, 2), new PrincipleScore("concise", "Short.", 0.5, 2)]);
    }

    [Fact]
    public void SpanCategoryResults_CategoryWithMarkup_RendersItAsTextWithTheScores()
    {
        var results = new RewardKindResults(ModelKind.SpanReward, 0.5, [new CategoryScore(Script, 0.25, 0.5, 0.333)], []);

        var cut = Render<SpanCategoryResults>(p => p.Add(c => c.Results, results));

        cut.Markup.ShouldNotContain("<script>");
        cut.Find("[data-testid=span-category-0] [data-testid=category]").TextContent.ShouldBe(Script);
        cut.Find("[data-testid=span-category-0] [data-testid=f1]").TextContent.ShouldBe("0.333");
        cut.Find("[data-testid=span-macro-f1]").TextContent.ShouldBe("0.500");
        // The chart writes its labels as SVG markup: the unsafe name is there as its row number.
        cut.Find("[data-testid=span-category-chart]").TextContent.ShouldContain("#1");
    }

    [Fact]
    public void SafeChartLabels_KeysAndMarkup_KeysKeptOthersNumbered()
    {
        SafeChartLabels.Of(["factual-error", Script, "style_2"]).ShouldBe(["factual-error", "#2", "style_2"]);
    }

    [Fact]
    public void PrincipleResults_PrincipleWithMarkup_RendersKeyAndTextAsText()
    {
        var results = new RewardKindResults(ModelKind.PrincipleReward, 0.75, [], [new PrincipleScore("p1", Script, 0.75, 4)]);

        var cut = Render<PrincipleResults>(p => p.Add(c => c.Results, results));

        cut.Markup.ShouldNotContain("<script>");
        cut.Find("[data-testid=principle-0] [data-testid=text]").TextContent.ShouldBe(Script);
        cut.Find("[data-testid=principle-0] [data-testid=accuracy]").TextContent.ShouldBe("0.750");
    }

    [Fact]
    public void Lay_SplitCharacterAndUntokenizedGap_EveryCharacterOnceWithTheLargerMass()
    {
        // "ab😀 c": a, b, the emoji's two byte tokens over the same two UTF-16 units, then " c" with nothing on the space.
        const string text = "ab😀 c";
        TokenOffset[] offsets = [new(0, 1), new(1, 2), new(2, 4), new(2, 4), new(5, 6)];
        float[][] mass = [[0f, 0f], [0.1f, 0.2f], [0.1f, 0f], [0.7f, 0.1f], [0f, 0f]];

        var view = TokenRewardScorer.Lay(text, offsets, mass, ["factual", "style"]);

        string.Concat(view.Pieces.Select(p => p.Text)).ShouldBe(text);
        view.Pieces.Select(p => p.Text).ShouldBe(["a", "b", "😀", " ", "c"]);
        view.Pieces[2].Mass.ShouldBe(0.8, 1e-6);
        view.Pieces[2].Category.ShouldBe("factual");
        view.Pieces[1].Category.ShouldBe("style");
        view.Reward.ShouldBe(-1.2, 1e-6);
    }

    [Fact]
    public void TokenHighlights_ResponseWithMarkup_DrawnAsTextWithTheCategoryOnHover()
    {
        var view = TokenRewardScorer.Lay(Script, [new(0, 8), new(8, Script.Length)], [[0.9f], [0f]], [Script]);

        var cut = Render<TokenHighlights>(p => p.Add(c => c.View, view));

        // The text is encoded; the title attribute is an attribute value (quoted, set as a property once live), never markup.
        cut.FindAll("script").ShouldBeEmpty();
        cut.Markup.ShouldContain("&lt;script&gt;");
        cut.Find("[data-testid=token-text]").TextContent.ShouldBe(Script);
        var first = cut.FindAll("[data-testid=token-text] span")[0];
        first.GetAttribute("title")!.ShouldStartWith(Script + " 0.90");
        first.GetAttribute("style")!.ShouldContain("rgba(220, 50, 47, 0.90)");
    }
}
