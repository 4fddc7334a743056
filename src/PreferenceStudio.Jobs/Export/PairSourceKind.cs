namespace PreferenceStudio.Jobs.Export;

/// <summary>The kind of label a preference pair was made from.</summary>
public enum PairSourceKind
{
    Pairwise,
    Ranking,
    Principle,
}
