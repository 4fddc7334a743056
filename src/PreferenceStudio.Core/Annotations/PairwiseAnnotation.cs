using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Annotations;

/// <summary>The five-point pairwise scale; the sign says which side, the size how strongly.</summary>
public enum PairwisePreference
{
    AMuchBetter = -2,
    ABetter = -1,
    Tie = 0,
    BBetter = 1,
    BMuchBetter = 2,
}

public sealed class PairwiseAnnotation : Annotation
{
    private PairwiseAnnotation() { }

    public PairwiseAnnotation(AnnotationContext context, int responseAId, int responseBId, PairwisePreference preference, bool bothBad)
        : base(TaskKind.Pairwise, context)
    {
        if (responseAId == responseBId)
            throw new DomainException("Responses A and B must differ.");
        if (!Enum.IsDefined(preference))
            throw new DomainException($"Unknown pairwise preference {(int)preference}.");
        ResponseAId = responseAId;
        ResponseBId = responseBId;
        Preference = preference;
        BothBad = bothBad;
    }

    /// <summary>The response shown as A (left).</summary>
    public int ResponseAId { get; private set; }
    public int ResponseBId { get; private set; }
    public PairwisePreference Preference { get; private set; }
    public bool BothBad { get; private set; }

    /// <summary>Chosen and rejected response ids, or null for a tie.</summary>
    public (int Chosen, int Rejected)? ChosenRejected => Preference switch
    {
        < 0 => (ResponseAId, ResponseBId),
        > 0 => (ResponseBId, ResponseAId),
        _ => null,
    };

    /// <summary>
    /// The preference on one orientation shared by every annotator of the task, whatever order each was shown:
    /// negative favours the response with the lower id. Agreement and aggregation compare these.
    /// </summary>
    public int CanonicalPreference => ResponseAId < ResponseBId ? (int)Preference : -(int)Preference;

    /// <summary>1 for "better", 2 for "much better", 0 for a tie.</summary>
    public int Strength => Math.Abs((int)Preference);
}
