using System.ComponentModel.DataAnnotations;
using PreferenceStudio.Core;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Web.Projects;

/// <summary>The fields of the new-project form, and how they become a <see cref="Project"/>.</summary>
public sealed class ProjectSetupForm
{
    [Required(ErrorMessage = "Give the project a name."), StringLength(200, ErrorMessage = "A name has at most 200 characters.")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "Give the project a slug."), RegularExpression("^[a-z0-9-]{1,64}$", ErrorMessage = "Use 1 to 64 characters of a-z, 0-9 and '-'.")]
    public string Slug { get; set; } = "";

    public bool Pairwise { get; set; } = true;
    public bool Ranking { get; set; }
    public bool Span { get; set; }
    public bool Principle { get; set; }

    [Range(1, Project.MaxOverlap, ErrorMessage = "Between 1 and 16 annotators label each task.")]
    public int Overlap { get; set; } = 1;

    [Range(1, 1440, ErrorMessage = "A lease lasts 1 to 1440 minutes.")]
    public int LeaseMinutes { get; set; } = 30;

    [Range(0.0, 1.0, ErrorMessage = "A share between 0 and 1.")]
    public double GoldRate { get; set; }

    public bool AllowRankingTies { get; set; }
    public string? Guidelines { get; set; }

    /// <summary>One principle a line: "key: the principle".</summary>
    public string? Principles { get; set; }

    /// <summary>One error type a line: "key | Name | description".</summary>
    public string? SpanLabels { get; set; }

    public FeedbackKinds Kinds => (Pairwise ? FeedbackKinds.Pairwise : 0) | (Ranking ? FeedbackKinds.Ranking : 0)
        | (Span ? FeedbackKinds.Span : 0) | (Principle ? FeedbackKinds.Principle : 0);

    /// <summary>The project these fields describe, or every problem found, each at its field.</summary>
    public (Project? Project, IReadOnlyList<FieldError> Errors) ToProject()
    {
        var errors = new List<FieldError>();
        foreach (var (field, text) in new[] { (nameof(Name), Name), (nameof(Slug), Slug), (nameof(Guidelines), Guidelines), (nameof(Principles), Principles), (nameof(SpanLabels), SpanLabels) })
            if (StorableText.Problem(text) is { } problem)
                errors.Add(new FieldError(field, problem));
        if (Kinds == FeedbackKinds.None)
            errors.Add(new FieldError(nameof(Kinds), "Choose at least one kind of feedback."));
        if (errors.Count > 0)
            return (null, errors);

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
            return (null, [new FieldError(nameof(Name), "A project name must have 1 to 200 characters.")]);
        Project project;
        try
        {
            project = new Project(Name, Slug, Kinds);
        }
        catch (DomainException ex)
        {
            // The name and the kinds are checked above: what the project refuses is its slug.
            return (null, [new FieldError(nameof(Slug), ex.Message)]);
        }
        Try(() => project.ConfigureAssignment(Overlap, TimeSpan.FromMinutes(LeaseMinutes), GoldRate, AllowRankingTies), nameof(Overlap), errors);
        project.WriteGuidelines(Guidelines ?? "");
        foreach (var (line, n) in Lines(Principles))
        {
            var parts = line.Split(':', 2);
            if (parts.Length != 2)
                errors.Add(new FieldError(nameof(Principles), $"Line {n}: write \"key: the principle\"."));
            else
                Try(() => project.AddPrinciple(parts[0].Trim(), parts[1].Trim()), nameof(Principles), errors, $"Line {n}: ");
        }
        foreach (var (line, n) in Lines(SpanLabels))
        {
            var parts = line.Split('|', 3);
            if (parts.Length < 2)
                errors.Add(new FieldError(nameof(SpanLabels), $"Line {n}: write \"key | Name | description\"."));
            else
                Try(() => project.AddSpanLabel(parts[0].Trim(), parts[1].Trim(), parts.Length == 3 ? parts[2].Trim() : ""), nameof(SpanLabels), errors, $"Line {n}: ");
        }
        if (Principle && project.Principles.Count == 0)
            errors.Add(new FieldError(nameof(Principles), "Principle feedback needs at least one principle."));
        if (Span && project.SpanLabels.Count == 0)
            errors.Add(new FieldError(nameof(SpanLabels), "Span feedback needs at least one span label."));
        return (errors.Count == 0 ? project : null, errors);
    }

    // An empty text box may come as nothing at all, so the text may be null.
    private static IEnumerable<(string Line, int Number)> Lines(string? text) =>
        (text ?? "").Split('\n').Select((line, i) => (line.Trim(), i + 1)).Where(x => x.Item1.Length > 0);

    private static void Try(Action action, string field, List<FieldError> errors, string prefix = "")
    {
        try
        {
            action();
        }
        catch (DomainException ex)
        {
            errors.Add(new FieldError(field, prefix + ex.Message));
        }
    }
}
