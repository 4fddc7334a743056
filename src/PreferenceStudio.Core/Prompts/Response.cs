namespace PreferenceStudio.Core.Prompts;

/// <summary>One answer to a prompt, from a model (or a human); untrusted text.</summary>
public sealed class Response
{
    private Response() { }

    internal Response(Prompt prompt, string text, string source, int? modelVersionId, string metadataJson)
    {
        if (text is null) throw new DomainException("A response needs a text (it may be empty, not missing).");
        if (string.IsNullOrWhiteSpace(source)) throw new DomainException("A response needs a source: the model or person that made it.");
        Prompt = prompt;
        Text = text;
        Source = source.Trim();
        ModelVersionId = modelVersionId;
        MetadataJson = metadataJson;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; private set; }
    public int PromptId { get; private set; }
    public Prompt? Prompt { get; private set; }
    public string Text { get; private set; } = "";
    public string Source { get; private set; } = "";
    public int? ModelVersionId { get; private set; }
    public string MetadataJson { get; private set; } = "{}";
    public DateTimeOffset CreatedAt { get; private set; }
}
