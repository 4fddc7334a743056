using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Tests;

internal static class Builders
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static Project Project(FeedbackKinds kinds = FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Span | FeedbackKinds.Principle) =>
        new("Test", "test", kinds);

    public static AnnotationContext Context(long taskId = 1, string annotator = "ann-1", DateTimeOffset? at = null) =>
        new(taskId, annotator, AssignmentId: 10, Guid.NewGuid(), TimeSpan.FromSeconds(42), [1, 2], Rationale: null, at ?? T0);

    public static PairwiseAnnotation Pairwise(PairwisePreference preference = PairwisePreference.ABetter, string annotator = "ann-1", long taskId = 1, DateTimeOffset? at = null) =>
        new(Context(taskId, annotator, at), 1, 2, preference, bothBad: false);
}
