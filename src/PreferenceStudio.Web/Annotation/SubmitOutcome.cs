namespace PreferenceStudio.Web.Annotating;

/// <summary>A submit either stored (or found stored) a label, or says why not with the HTTP status that fits.</summary>
public sealed record SubmitOutcome(SubmitReceipt? Receipt, int Status, string? Error)
{
    public static SubmitOutcome Stored(SubmitReceipt receipt) => new(receipt, StatusCodes.Status200OK, null);
    public static SubmitOutcome Invalid(string error) => new(null, StatusCodes.Status400BadRequest, error);
    public static SubmitOutcome NotFound(string error) => new(null, StatusCodes.Status404NotFound, error);
    public static SubmitOutcome Refused(string error) => new(null, StatusCodes.Status409Conflict, error);
}
