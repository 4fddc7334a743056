namespace PreferenceStudio.Core.Prompts;

/// <summary>
/// What the model was asked: a single- or multi-turn conversation ending in a user turn.
/// Text is untrusted (imported or generated) and is always rendered encoded.
/// </summary>
public sealed class Prompt
{
    private readonly List<ChatTurn> _conversation = [];
    private readonly List<Response> _responses = [];

    private Prompt() { }

    public Prompt(int projectId, IEnumerable<ChatTurn> conversation, string? externalId = null, string metadataJson = "{}")
    {
        ProjectId = projectId;
        _conversation.AddRange(conversation);
        if (_conversation.Count == 0)
            throw new DomainException("A prompt needs at least one turn.");
        for (var i = 0; i < _conversation.Count; i++)
        {
            var turn = _conversation[i];
            if (!ChatTurn.Roles.Contains(turn.Role))
                throw new DomainException($"Turn {i}: role must be system, user or assistant, got '{turn.Role}'.");
            if (string.IsNullOrEmpty(turn.Content))
                throw new DomainException($"Turn {i}: content is empty.");
        }
        if (_conversation[^1].Role != "user")
            throw new DomainException("A prompt's last turn must be the user's.");
        ExternalId = externalId;
        MetadataJson = metadataJson;
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; private set; }
    public int ProjectId { get; private set; }
    public string? ExternalId { get; private set; }
    public IReadOnlyList<ChatTurn> Conversation => _conversation;
    public string MetadataJson { get; private set; } = "{}";
    public DateTimeOffset CreatedAt { get; private set; }
    public IReadOnlyList<Response> Responses => _responses;

    /// <summary>The last user message: what a single-turn view shows as "the prompt".</summary>
    public string LastUserMessage => _conversation[^1].Content;

    public Response AddResponse(string text, string source, int? modelVersionId = null, string metadataJson = "{}")
    {
        var response = new Response(this, text, source, modelVersionId, metadataJson);
        _responses.Add(response);
        return response;
    }
}
