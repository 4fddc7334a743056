namespace PreferenceStudio.Data;

/// <summary>
/// A project's quality figures as computed at one moment: what the quality page shows when computing them afresh
/// would take too long to do on every view (a project of millions of labels).
/// </summary>
public sealed class QualitySnapshot
{
    public int ProjectId { get; set; }

    /// <summary>The start of the transaction that read the labels: every label committed before it is counted, none after.</summary>
    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>How long the computation took, which decides whether the next view waits for a fresh one.</summary>
    public int ComputeMs { get; set; }

    /// <summary>The figures as JSON (the web layer's ProjectQuality).</summary>
    public string FiguresJson { get; set; } = "";
}
