using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>"Wrong fact · major · comment": how a marked span is named in its tooltip and in the list.</summary>
public static class SpanDescription
{
    public static readonly IReadOnlyList<(int Value, string Name)> Severities = [(1, "minor"), (2, "major"), (3, "critical")];

    public static string Of(SpanItem span, IReadOnlyList<SpanLabel> labels) =>
        string.Join(" · ", new[]
        {
            labels.FirstOrDefault(l => l.Id == span.LabelId)?.Name,
            Severities.FirstOrDefault(s => s.Value == span.Severity).Name,
            span.Comment,
        }.Where(s => !string.IsNullOrEmpty(s)));
}
