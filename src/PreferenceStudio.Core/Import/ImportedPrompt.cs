using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;

namespace PreferenceStudio.Core.Import;

public sealed record ImportedResponse(string Text, string Source, string MetadataJson);

/// <summary>One valid line of an import file: a prompt, its responses, and the kinds of task to make of them.</summary>
public sealed record ImportedPrompt(
    int Line,
    string ExternalId,
    IReadOnlyList<ChatTurn> Conversation,
    IReadOnlyList<ImportedResponse> Responses,
    IReadOnlyList<TaskKind> Kinds,
    int Priority,
    string MetadataJson);

/// <summary>What is wrong, and where: the line of the file and the field on it.</summary>
public sealed record ImportError(int Line, string Field, string Message)
{
    public override string ToString() => Field.Length == 0 ? $"line {Line}: {Message}" : $"line {Line}, {Field}: {Message}";
}
