using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Components.Pages.Annotate;

namespace PreferenceStudio.Web.Tests.Annotate;

public sealed class AnswerDraftTests
{
    [Fact]
    public void ToRequest_PairwiseAnswered_SendsTheDraftsKeyShownOrderAndTimeOnTask()
    {
        var view = Views.Of(TaskKind.Pairwise, ["a", "b"]);
        var shown = DateTimeOffset.UtcNow;
        var draft = AnswerDraft.Start(AnswerDraft.ForAssignment(3), view, shown);
        draft.HandleKey(view, "5", shift: false);
        draft.Rationale = "  B is right.  ";

        var (request, error) = draft.ToRequest(view, shown.AddSeconds(4));
        var (again, _) = draft.ToRequest(view, shown.AddSeconds(9));

        error.ShouldBeNull();
        request!.IdempotencyKey.ShouldBe(draft.IdempotencyKey);
        again!.IdempotencyKey.ShouldBe(request.IdempotencyKey, "a retry sends the same key");
        request.ShownOrder.ShouldBe([100, 101]);
        request.TimeSpentMs.ShouldBe(4000);
        request.Rationale.ShouldBe("B is right.");
        (request.Pairwise!.ResponseAId, request.Pairwise.ResponseBId, request.Pairwise.Preference).ShouldBe((100, 101, 2));
    }

    [Fact]
    public void Fits_DraftOfAnotherAssignmentOrOrder_IsNotPutBack()
    {
        var view = Views.Of(TaskKind.Ranking, ["a", "b", "c"]);
        var draft = AnswerDraft.Start(AnswerDraft.ForAssignment(3), view, DateTimeOffset.UtcNow);

        draft.Fits("a3", view).ShouldBeTrue();
        draft.Fits("a4", view).ShouldBeFalse();
        draft.Fits("a3", Views.Of(TaskKind.Ranking, ["a", "b"])).ShouldBeFalse();
    }
}
