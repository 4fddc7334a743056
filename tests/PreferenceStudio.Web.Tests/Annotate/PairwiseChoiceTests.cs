using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Components.Pages.Annotate;

namespace PreferenceStudio.Web.Tests.Annotate;

public sealed class PairwiseChoiceTests
{
    [Theory]
    [InlineData("1", -2)]
    [InlineData("2", -1)]
    [InlineData("3", 0)]
    [InlineData("4", 1)]
    [InlineData("5", 2)]
    public void HandleKey_DigitOfTheScale_PicksThatStrength(string key, int preference)
    {
        var choice = new PairwiseChoice();

        choice.HandleKey(key).ShouldBeTrue();

        choice.Preference.ShouldBe(preference);
    }

    [Fact]
    public void HandleKey_ArrowsAtTheEnds_StopAtMuchBetter()
    {
        var choice = new PairwiseChoice();

        choice.HandleKey("ArrowLeft");
        choice.Preference.ShouldBe(-1, "the first arrow starts from a tie");
        choice.HandleKey("ArrowLeft");
        choice.HandleKey("ArrowLeft");
        choice.Preference.ShouldBe(-2);
        for (var i = 0; i < 6; i++)
            choice.HandleKey("ArrowRight");
        choice.Preference.ShouldBe(2);
    }

    [Fact]
    public void From_StoredLabelWhoseAIsThisPagesB_TurnsThePreferenceAround()
    {
        var stored = new PairwiseAnnotation(Views.Context(), responseAId: 101, responseBId: 100, PairwisePreference.AMuchBetter, bothBad: true);

        var choice = PairwiseChoice.From(stored, shownAId: 100);

        (choice.Preference, choice.BothBad).ShouldBe((2, true));
    }

    [Fact]
    public void ToAnswer_NothingChosen_SaysWhatIsMissing()
    {
        var view = Views.Of(TaskKind.Pairwise, ["a", "b"]);

        var (answer, error) = new PairwiseChoice { BothBad = true }.ToAnswer(view.Responses);

        answer.ShouldBeNull();
        error!.ShouldContain("keys 1-5");
    }
}
