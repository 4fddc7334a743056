namespace PreferenceStudio.Core.Loop;

public enum RoundState
{
    Queued = 0,
    Running = 1,

    /// <summary>The round's pairwise tasks are with people; it goes on when enough are labelled or the deadline passes.</summary>
    WaitingForLabels = 2,
    Succeeded = 3,
    Failed = 4,
    Cancelled = 5,
}
