using PreferenceStudio.Core.Quality;

namespace PreferenceStudio.Web.Quality;

/// <summary>How consistent one kind of label is across annotators.</summary>
public sealed record KindAgreement(string Kind, int Labels, int UnitsLabelledTwice, double? Alpha, AlphaMetric Metric, string What);

public sealed record AnnotatorQuality(string Name, int Labels, double MedianSeconds, int PairsCompared, double? PairwiseAgreement);

public sealed record DailyCount(DateOnly Day, int Labels);

public sealed record KindLabels(string Kind, int Labels);

public sealed record ProjectQuality(
    IReadOnlyList<KindAgreement> Kinds, IReadOnlyList<AnnotatorQuality> Annotators, IReadOnlyList<DailyCount> LabelsPerDay, IReadOnlyList<KindLabels> LabelsByKind);
