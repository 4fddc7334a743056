namespace PreferenceStudio.Core.Projects;

/// <summary>A yes/no criterion a response is judged against (binary principle feedback, as in RLBFF).</summary>
public sealed class Principle
{
    private Principle() { }

    internal Principle(string key, string text, int order)
    {
        Key = Keys.Valid(key, "principle");
        if (string.IsNullOrWhiteSpace(text))
            throw new DomainException($"Principle '{key}' needs a text.");
        Text = text.Trim();
        Order = order;
    }

    public int Id { get; private set; }
    public int ProjectId { get; private set; }
    public string Key { get; private set; } = "";
    public string Text { get; private set; } = "";
    public int Order { get; private set; }
}
