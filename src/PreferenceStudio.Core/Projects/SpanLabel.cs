namespace PreferenceStudio.Core.Projects;

/// <summary>One error type of a project's span taxonomy (as in Fine-Grained RLHF).</summary>
public sealed class SpanLabel
{
    private SpanLabel() { }

    internal SpanLabel(string key, string name, string description, bool usesSeverity, int order)
    {
        Key = Keys.Valid(key, "span label");
        if (string.IsNullOrWhiteSpace(name))
            throw new DomainException($"Span label '{key}' needs a name.");
        Name = name.Trim();
        Description = description ?? "";
        UsesSeverity = usesSeverity;
        Order = order;
    }

    public int Id { get; private set; }
    public int ProjectId { get; private set; }
    public string Key { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public bool UsesSeverity { get; private set; }
    public int Order { get; private set; }
}
