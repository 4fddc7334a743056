namespace PreferenceStudio.Annotating;

/// <summary>A submit either stored (or found stored) a label, or says why not with how it was refused.</summary>
public sealed record SubmitOutcome(SubmitReceipt? Receipt, OutcomeKind Kind, string? Error)
{
    public static SubmitOutcome Stored(SubmitReceipt receipt) => new(receipt, OutcomeKind.Done, null);
    public static SubmitOutcome Invalid(string error) => new(null, OutcomeKind.Invalid, error);
    public static SubmitOutcome NotFound(string error) => new(null, OutcomeKind.NotFound, error);
    public static SubmitOutcome Refused(string error) => new(null, OutcomeKind.Conflict, error);
}
