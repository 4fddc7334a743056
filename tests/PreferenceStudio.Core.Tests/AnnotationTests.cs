using PreferenceStudio.Core.Annotations;
using static PreferenceStudio.Core.Tests.Builders;

namespace PreferenceStudio.Core.Tests;

public class AnnotationTests
{
    [Fact]
    public void SupersedeWith_NewVersion_NumbersItAndMarksTheOldOneSuperseded()
    {
        var first = Pairwise(PairwisePreference.ABetter);
        var edit = Pairwise(PairwisePreference.BMuchBetter, at: T0.AddMinutes(5));

        first.SupersedeWith(edit);

        edit.Version.ShouldBe(2);
        edit.PreviousVersionId.ShouldBe(first.Id);
        edit.IsCurrent.ShouldBeTrue();
        first.IsCurrent.ShouldBeFalse();
        first.SupersededAt.ShouldBe(T0.AddMinutes(5));
        first.Preference.ShouldBe(PairwisePreference.ABetter, "the old version keeps its answer");
    }

    [Fact]
    public void SupersedeWith_AlreadySupersededVersion_IsRefused()
    {
        var first = Pairwise();
        first.SupersedeWith(Pairwise(PairwisePreference.Tie));

        Should.Throw<DomainException>(() => first.SupersedeWith(Pairwise(PairwisePreference.BBetter)))
            .Message.ShouldContain("already superseded");
    }

    [Fact]
    public void SupersedeWith_OtherAnnotator_IsRefused()
    {
        var mine = Pairwise(annotator: "ann-1");
        Should.Throw<DomainException>(() => mine.SupersedeWith(Pairwise(annotator: "ann-2")));
    }

    [Fact]
    public void SupersedeWith_OtherKind_IsRefused()
    {
        var pairwise = Pairwise();
        var principle = new PrincipleAnnotation(Context(), [new PrincipleVerdict(1, 1, Verdict.Yes, null)]);
        Should.Throw<DomainException>(() => pairwise.SupersedeWith(principle)).Message.ShouldContain("Pairwise");
    }

    [Theory]
    [InlineData(PairwisePreference.AMuchBetter, 1, 2, 2)]
    [InlineData(PairwisePreference.ABetter, 1, 2, 1)]
    [InlineData(PairwisePreference.BBetter, 2, 1, 1)]
    [InlineData(PairwisePreference.BMuchBetter, 2, 1, 2)]
    public void ChosenRejected_FollowsTheSideAndStrength(PairwisePreference preference, int chosen, int rejected, int strength)
    {
        var label = Pairwise(preference);
        label.ChosenRejected.ShouldBe((chosen, rejected));
        label.Strength.ShouldBe(strength);
    }

    [Fact]
    public void ChosenRejected_Tie_IsNull() => Pairwise(PairwisePreference.Tie).ChosenRejected.ShouldBeNull();

    [Fact]
    public void Ranking_NotAPermutation_IsRefused()
    {
        Should.Throw<DomainException>(() => new RankingAnnotation(Context(), [new(1, 1), new(2, 3), new(3, 4)], tiesAllowed: false));
        Should.Throw<DomainException>(() => new RankingAnnotation(Context(), [new(1, 1), new(1, 2), new(3, 3)], tiesAllowed: false));
    }

    [Fact]
    public void Ranking_Ties_AllowedOnlyWhenTheProjectAllowsThem()
    {
        RankingEntry[] tied = [new(1, 1), new(2, 1), new(3, 3)];
        Should.Throw<DomainException>(() => new RankingAnnotation(Context(), tied, tiesAllowed: false)).Message.ShouldContain("ties");
        new RankingAnnotation(Context(), tied, tiesAllowed: true).Entries.Count.ShouldBe(3);
    }

    [Fact]
    public void Span_EmptyOrNegativeRange_IsRefusedNamingTheSpan()
    {
        var error = Should.Throw<DomainException>(() => new SpanAnnotation(Context(),
            [new MarkedSpan(1, 0, 4, 1, Severity.Minor, null), new MarkedSpan(1, 5, 5, 1, null, null)], []));
        error.Message.ShouldStartWith("Span 1:");
    }

    [Fact]
    public void Principle_DuplicateVerdict_IsRefused() =>
        Should.Throw<DomainException>(() => new PrincipleAnnotation(Context(),
            [new PrincipleVerdict(1, 1, Verdict.Yes, null), new PrincipleVerdict(1, 1, Verdict.No, null)]));
}
