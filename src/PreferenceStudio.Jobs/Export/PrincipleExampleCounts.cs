namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// What a pass of <see cref="PrincipleExampleSource"/> read, kept and left out: current principle labels and their
/// verdicts read; examples kept (one per response and principle); "not applicable" verdicts left out (per verdict);
/// (response, principle)s whose yes and no votes were equal, left out (per response and principle).
/// </summary>
public sealed record PrincipleExampleCounts(int Labels, int Verdicts, int Kept, int NotApplicable, int Split, DateTimeOffset? NewestLabelAt)
{
    /// <summary>Kept examples per principle key.</summary>
    public IReadOnlyDictionary<string, int> KeptByPrinciple { get; init; } = new Dictionary<string, int>();
}
