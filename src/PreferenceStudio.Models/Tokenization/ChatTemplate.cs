using System.Text;

namespace PreferenceStudio.Models.Tokenization;

/// <summary>One turn of a conversation: role "system", "user" or "assistant".</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// ChatML, the format of Qwen2 and many fine-tunes:
/// <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message, then <c>&lt;|im_start|&gt;assistant\n</c>
/// to ask for a reply.
/// </summary>
public static class ChatML
{
    public const string Start = "<|im_start|>";
    public const string End = "<|im_end|>";

    public static string Format(IEnumerable<ChatMessage> messages, bool addGenerationPrompt = true, string? defaultSystem = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        var text = new StringBuilder();
        if (defaultSystem is not null && (list.Count == 0 || list[0].Role != "system"))
            Append(text, new ChatMessage("system", defaultSystem));
        foreach (var m in list) Append(text, m);
        if (addGenerationPrompt) text.Append(Start).Append("assistant\n");
        return text.ToString();
    }

    private static void Append(StringBuilder text, ChatMessage m)
    {
        if (m.Role is not ("system" or "user" or "assistant"))
            throw new ArgumentException($"unknown chat role '{m.Role}' (system, user, assistant)", nameof(m));
        if (m.Content.Contains(Start, StringComparison.Ordinal) || m.Content.Contains(End, StringComparison.Ordinal))
            throw new ArgumentException("message content must not contain ChatML control tokens", nameof(m));
        text.Append(Start).Append(m.Role).Append('\n').Append(m.Content).Append(End).Append('\n');
    }
}
