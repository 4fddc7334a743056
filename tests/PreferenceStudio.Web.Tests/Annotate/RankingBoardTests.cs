using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Components.Pages.Annotate;

namespace PreferenceStudio.Web.Tests.Annotate;

public sealed class RankingBoardTests
{
    private static RankingBoard Board(params int[] order) => new() { Order = order.ToList() };

    [Fact]
    public void HandleKey_DigitOfAPlace_MovesTheSelectedResponseStraightThere()
    {
        var board = Board(1, 2, 3, 4, 5);
        board.Select(0);

        board.HandleKey("4", shift: false, allowTies: false).ShouldBeTrue();

        board.Order.ShouldBe([2, 3, 4, 1, 5]);
        board.Selected.ShouldBe(3);
    }

    [Fact]
    public void HandleKey_DigitBeyondTheList_IsNotTaken()
    {
        var board = Board(1, 2, 3);

        board.HandleKey("7", shift: false, allowTies: false).ShouldBeFalse();

        board.Order.ShouldBe([1, 2, 3]);
    }

    [Fact]
    public void HandleKey_ShiftArrowMovesOnePlace_PlainArrowOnlySelects()
    {
        var board = Board(1, 2, 3);

        board.HandleKey("ArrowDown", shift: false, allowTies: false);
        board.Order.ShouldBe([1, 2, 3]);
        board.Selected.ShouldBe(1);
        board.HandleKey("ArrowUp", shift: true, allowTies: false);

        board.Order.ShouldBe([2, 1, 3]);
        board.Selected.ShouldBe(0);
        board.HandleKey("ArrowUp", shift: true, allowTies: false);
        board.Order.ShouldBe([2, 1, 3], "the top response cannot go higher");
    }

    [Fact]
    public void Ranks_ResponseTiedWithTheOneAbove_SharesItsRankAndTheNextRankSkips()
    {
        var board = Board(1, 2, 3, 4);
        board.Select(1);
        board.HandleKey("t", shift: false, allowTies: true).ShouldBeTrue();

        board.Ranks(allowTies: true).ShouldBe([new RankItem(1, 1), new RankItem(2, 1), new RankItem(3, 3), new RankItem(4, 4)]);
    }

    [Fact]
    public void HandleKey_TieInAProjectWithoutTies_ChangesNothing()
    {
        var board = Board(1, 2, 3);
        board.Select(2);

        board.HandleKey("t", shift: false, allowTies: false).ShouldBeFalse();

        board.Ranks(allowTies: false).Select(r => r.Rank).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public void Drop_LastResponseOnTheFirstPlace_ShiftsTheOthersDown()
    {
        var board = Board(1, 2, 3);

        board.Drop(3, 0);

        board.Order.ShouldBe([3, 1, 2]);
    }

    [Fact]
    public void From_StoredRankingWithATie_RestoresOrderAndTie()
    {
        var stored = new RankingAnnotation(Views.Context(), [new RankingEntry(100, 2), new RankingEntry(101, 1), new RankingEntry(102, 1)], tiesAllowed: true);
        var view = Views.Of(TaskKind.Ranking, ["a", "b", "c"], ties: true);

        var board = RankingBoard.From(stored, view.Responses);

        board.Order.ShouldBe([101, 102, 100]);
        board.Ranks(allowTies: true).Select(r => r.Rank).ShouldBe([1, 1, 3]);
    }
}
