namespace PreferenceStudio.Annotating;

/// <summary>How a use case ended; each way in (the JSON API, the pages) turns it into its own kind of answer.</summary>
public enum OutcomeKind
{
    Done,
    /// <summary>The request itself is wrong (a bad answer, a bad key); sending it again will not help.</summary>
    Invalid,
    NotFound,
    /// <summary>Refused by the state of things (a lease ran out, a task already labelled); nothing was stored.</summary>
    Conflict,
}
