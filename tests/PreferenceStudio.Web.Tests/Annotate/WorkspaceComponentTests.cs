using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Components.Pages.Annotate;

namespace PreferenceStudio.Web.Tests.Annotate;

/// <summary>The workspace's pieces rendered on their own: what they draw from the answer in progress.</summary>
public sealed class WorkspaceComponentTests : ComponentTest
{
    [Fact]
    public void SpanText_MarkInHostileText_DrawsTheMarkAndKeepsEveryCharacterAsText()
    {
        const string Text = "<script>x()</script> is <b>bold</b>";
        var marks = new SpanMarks { Spans = [new SpanItem(100, 21, 23, 0, null, null)] };

        var cut = Render<SpanText>(p => p
            .Add(x => x.Response, new ShownResponse(100, "A", Text))
            .Add(x => x.Marks, marks)
            .Add(x => x.Labels, []));

        cut.Find(".span-text").TextContent.ShouldBe(Text);
        cut.FindAll(".span-text script, .span-text b").Count.ShouldBe(0);
        cut.Find("mark").TextContent.ShouldBe("is");
    }

    [Fact]
    public void RankingPanel_AfterADigitKey_DrawsTheNewOrderWithItsRanks()
    {
        var view = Views.Of(TaskKind.Ranking, ["first", "second", "third"], ties: true);
        var board = RankingBoard.From(null, view.Responses);
        var changes = 0;
        var cut = Render<RankingPanel>(p => p.Add(x => x.View, view).Add(x => x.Board, board).Add(x => x.Changed, () => changes++));

        board.HandleKey("3", shift: false, allowTies: true);
        board.HandleKey("t", shift: false, allowTies: true);
        cut.Render();

        var items = cut.FindAll("[data-testid=ranking-item]");
        items.Select(i => i.GetAttribute("data-response-id")).ShouldBe(["101", "102", "100"]);
        items.Select(i => i.GetAttribute("data-rank")).ShouldBe(["1", "2", "2"]);
        items[2].ClassList.ShouldContain("selected");
        items[0].Click();
        changes.ShouldBe(1);
        board.Selected.ShouldBe(0);
    }

    [Fact]
    public void PairwisePanel_ClickOnAPointOfTheScale_SetsThatStrengthAndSaysSo()
    {
        var view = Views.Of(TaskKind.Pairwise, ["left", "right"]);
        var choice = new PairwiseChoice();
        var changes = 0;
        var cut = Render<PairwisePanel>(p => p.Add(x => x.View, view).Add(x => x.Choice, choice).Add(x => x.Changed, () => changes++));

        cut.Find("[data-testid='pref-2']").Click();

        choice.Preference.ShouldBe(2);
        changes.ShouldBe(1);
        cut.Find("[data-testid='pref-2']").GetAttribute("aria-checked").ShouldBe("true");
        cut.Find("[data-testid='pref--2']").GetAttribute("aria-checked").ShouldBe("false");
    }
}
