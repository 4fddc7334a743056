using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Annotating;

/// <summary>A task slot held by the annotator: what the page shows and the submit refers to.</summary>
public sealed record Lease(long AssignmentId, long TaskId, TaskKind Kind, int Slot, DateTimeOffset ExpiresAt, bool IsNew);

/// <summary>The progress line: labels given today and tasks the annotator could still be given.</summary>
public sealed record Progress(int DoneToday, int Left);
