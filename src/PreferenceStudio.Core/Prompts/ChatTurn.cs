namespace PreferenceStudio.Core.Prompts;

/// <summary>One message of a conversation: role is system, user or assistant.</summary>
public sealed record ChatTurn(string Role, string Content)
{
    public static readonly IReadOnlySet<string> Roles = new HashSet<string> { "system", "user", "assistant" };
}
