using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Components.Pages.Annotate;

namespace PreferenceStudio.Web.Tests.Annotate;

public sealed class PrincipleGridTests
{
    private static PrincipleGrid Grid() =>
        PrincipleGrid.From(null, Views.Of(TaskKind.Principle, ["a", "b"]).Responses, [5, 6]);

    [Fact]
    public void HandleKey_YesNoNotApplicable_AnswerTheRowAndMoveOn()
    {
        var grid = Grid();

        foreach (var key in new[] { "y", "n", "a", "y" })
            grid.HandleKey(key).ShouldBeTrue();

        grid.Rows.Select(r => (r.ResponseId, r.PrincipleId, r.Verdict)).ShouldBe([(100, 5, 1), (100, 6, 0), (101, 5, 2), (101, 6, 1)]);
        grid.Cursor.ShouldBe(3, "the last row keeps the cursor");
    }

    [Fact]
    public void ToAnswer_ARowStillOpen_NamesItAndPutsTheCursorThere()
    {
        var grid = Grid();
        grid.HandleKey("y");
        grid.HandleKey("j");
        grid.HandleKey("n");

        var (answer, error) = grid.ToAnswer();

        answer.ShouldBeNull();
        error!.ShouldContain("row 2 of 4");
        grid.Cursor.ShouldBe(1);
    }
}
