using System.ComponentModel.DataAnnotations;
using PreferenceStudio.Core;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Web.Projects;

/// <summary>The fields of the new-project form, and how they become a <see cref="Project"/>.</summary>
public sealed class ProjectSetupForm
{
    [Required, StringLength(200)] public string Name { get; set; } = "";
    [Required, RegularExpression("^[a-z0-9-]{1,64}$", ErrorMessage = "Use 1 to 64 characters of a-z, 0-9 and '-'.")]
    public string Slug { get; set; } = "";
    public bool Pairwise { get; set; } = true;
    public bool Ranking { get; set; }
    public bool Span { get; set; }
    public bool Principle { get; set; }
    [Range(1, Project.MaxOverlap)] public int Overlap { get; set; } = 1;
    [Range(1, 1440)] public int LeaseMinutes { get; set; } = 30;
    [Range(0.0, 1.0)] public double GoldRate { get; set; }
    public bool AllowRankingTies { get; set; }
    public string? Guidelines { get; set; }

    /// <summary>One principle a line: "key: the principle".</summary>
    public string? Principles { get; set; }

    /// <summary>One error type a line: "key | Name | description".</summary>
    public string? SpanLabels { get; set; }

    public (Project? Project, IReadOnlyList<string> Errors) ToProject()
    {
        var errors = new List<string>();
        var kinds = (Pairwise ? FeedbackKinds.Pairwise : 0) | (Ranking ? FeedbackKinds.Ranking : 0)
            | (Span ? FeedbackKinds.Span : 0) | (Principle ? FeedbackKinds.Principle : 0);
        try
        {
            var project = new Project(Name, Slug, kinds);
            project.ConfigureAssignment(Overlap, TimeSpan.FromMinutes(LeaseMinutes), GoldRate, AllowRankingTies);
            project.WriteGuidelines(Guidelines ?? "");
            foreach (var (line, n) in Lines(Principles))
            {
                var parts = line.Split(':', 2);
                if (parts.Length != 2)
                    errors.Add($"Principles, line {n}: write \"key: the principle\".");
                else
                    Try(() => project.AddPrinciple(parts[0].Trim(), parts[1].Trim()), $"Principles, line {n}", errors);
            }
            foreach (var (line, n) in Lines(SpanLabels))
            {
                var parts = line.Split('|', 3);
                if (parts.Length < 2)
                    errors.Add($"Span labels, line {n}: write \"key | Name | description\".");
                else
                    Try(() => project.AddSpanLabel(parts[0].Trim(), parts[1].Trim(), parts.Length == 3 ? parts[2].Trim() : ""), $"Span labels, line {n}", errors);
            }
            if (Principle && project.Principles.Count == 0)
                errors.Add("Principle feedback needs at least one principle.");
            if (Span && project.SpanLabels.Count == 0)
                errors.Add("Span feedback needs at least one span label.");
            return (errors.Count == 0 ? project : null, errors);
        }
        catch (DomainException ex)
        {
            errors.Add(ex.Message);
            return (null, errors);
        }
    }

    // An empty text box is posted as nothing at all, so the text may be null.
    private static IEnumerable<(string Line, int Number)> Lines(string? text) =>
        (text ?? "").Split('\n').Select((line, i) => (line.Trim(), i + 1)).Where(x => x.Item1.Length > 0);

    private static void Try(Action action, string where, List<string> errors)
    {
        try
        {
            action();
        }
        catch (DomainException ex)
        {
            errors.Add($"{where}: {ex.Message}");
        }
    }
}
