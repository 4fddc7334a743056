using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Components.Pages.Projects;
using PreferenceStudio.Web.Projects;

namespace PreferenceStudio.Web.Tests.Projects;

public class KindChipsTests : ComponentTest
{
    [Fact]
    public void KindChips_AllFourKinds_ShowsEachByNameWithItsCountNeverTheFlagsNumber()
    {
        var all = FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Span | FeedbackKinds.Principle;
        var kinds = FeedbackKindNames.WithCounts(all, [new KindCount(TaskKind.Span, 7), new KindCount(TaskKind.Pairwise, 3)]);

        var chips = Render<KindChips>(p => p.Add(c => c.Kinds, kinds));

        chips.FindAll("[data-testid^=kind-]").Select(c => c.TextContent.Trim())
            .ShouldBe(["Pairwise · 3", "Ranking · 0", "Span · 7", "Principle · 0"]);
        // The text a person reads, not the markup: MudBlazor's generated element ids may contain any digits.
        chips.Find("[data-testid=kinds]").TextContent.ShouldNotContain(((int)all).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void WithCounts_TasksOfAKindNoLongerCollected_StillListsThem()
    {
        var kinds = FeedbackKindNames.WithCounts(FeedbackKinds.Pairwise, [new KindCount(TaskKind.Ranking, 2)]);

        kinds.ShouldBe([new KindCount(TaskKind.Pairwise, 0), new KindCount(TaskKind.Ranking, 2)]);
    }
}
