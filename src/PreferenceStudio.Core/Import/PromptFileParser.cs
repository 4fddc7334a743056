using System.Text.Json;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;

namespace PreferenceStudio.Core.Import;

/// <summary>
/// Reads a JSON Lines file of prompts and responses, one prompt a line:
/// <code>{"id": "q1", "prompt": "Why is the sky blue?", "responses": [{"text": "...", "model": "m1"}, ...], "kinds": ["pairwise"]}</code>
/// "conversation": [{"role": "user", "content": "..."}] may stand for "prompt"; "kinds", "priority" and "metadata" are optional.
/// Every error is collected with its line and field, so one pass tells the whole story of a bad file.
/// </summary>
public static class PromptFileParser
{
    public const int MaxLines = 100_000;
    public const int MaxTextLength = 100_000;

    /// <summary>Reads a file as uploaded: bytes that are not UTF-8 refuse their line with the byte's position, never replaced.</summary>
    public static (IReadOnlyList<ImportedPrompt> Prompts, IReadOnlyList<ImportError> Errors) Parse(Stream file, Project project) =>
        Parse(Utf8Lines.Read(file), project);

    public static (IReadOnlyList<ImportedPrompt> Prompts, IReadOnlyList<ImportError> Errors) Parse(TextReader reader, Project project) =>
        Parse(Lines(reader), project);

    private static IEnumerable<Utf8Lines.Line> Lines(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
            yield return new Utf8Lines.Line(++number, line, null);
    }

    private static (IReadOnlyList<ImportedPrompt> Prompts, IReadOnlyList<ImportError> Errors) Parse(IEnumerable<Utf8Lines.Line> lines, Project project)
    {
        var prompts = new List<ImportedPrompt>();
        var errors = new List<ImportError>();
        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var (number, line, notUtf8) in lines)
        {
            lineNumber = number;
            if (lineNumber > MaxLines)
            {
                errors.Add(new ImportError(lineNumber, "", $"a file has at most {MaxLines} lines; split it."));
                break;
            }
            if (notUtf8 is not null)
            {
                errors.Add(new ImportError(lineNumber, "", notUtf8));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var lineErrors = new List<ImportError>();
            var prompt = ParseLine(line, lineNumber, project, lineErrors);
            if (prompt is not null && seenIds.TryGetValue(prompt.ExternalId, out var first))
                lineErrors.Add(new ImportError(lineNumber, "id", $"'{prompt.ExternalId}' is already used on line {first}."));
            if (lineErrors.Count > 0)
                errors.AddRange(lineErrors);
            else if (prompt is not null)
            {
                seenIds[prompt.ExternalId] = lineNumber;
                prompts.Add(prompt);
            }
        }
        if (lineNumber == 0 || (prompts.Count == 0 && errors.Count == 0))
            errors.Add(new ImportError(Math.Max(lineNumber, 1), "", "the file holds no prompts."));
        return (prompts, errors);
    }

    private static ImportedPrompt? ParseLine(string line, int n, Project project, List<ImportError> errors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            errors.Add(new ImportError(n, "", $"not valid JSON (the parser stopped at byte {ex.BytePositionInLine + 1}).")); // the library's wording changes between versions
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ImportError(n, "", "each line must be a JSON object."));
                return null;
            }
            // Text PostgreSQL cannot store, anywhere on the line (metadata included), is refused before it is read.
            CheckStrings(root, "", n, errors);
            if (errors.Count > 0)
                return null;
            var id = RequiredString(root, "id", n, errors, maxLength: 200);
            var conversation = ReadConversation(root, n, errors);
            var responses = ReadResponses(root, n, errors);
            var kinds = ReadKinds(root, n, project, responses?.Count ?? 0, errors);
            var priority = root.TryGetProperty("priority", out var p)
                ? p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var value) ? value : Error(errors, n, "priority", "must be a whole number.", 0)
                : 0;
            var metadata = root.TryGetProperty("metadata", out var m)
                ? m.ValueKind == JsonValueKind.Object ? m.GetRawText() : Error(errors, n, "metadata", "must be a JSON object.", "{}")
                : "{}";
            if (errors.Count > 0 || id is null || conversation is null || responses is null)
                return null;
            return new ImportedPrompt(n, id, conversation, responses, kinds, priority, metadata);
        }
    }

    private static List<ChatTurn>? ReadConversation(JsonElement root, int n, List<ImportError> errors)
    {
        var hasPrompt = root.TryGetProperty("prompt", out var prompt);
        var hasConversation = root.TryGetProperty("conversation", out var conversation);
        if (hasPrompt == hasConversation)
            return Error<List<ChatTurn>?>(errors, n, "prompt", "give either \"prompt\" (a string) or \"conversation\" (a list of turns), not both or neither.", null);
        if (hasPrompt)
        {
            if (prompt.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(prompt.GetString()))
                return Error<List<ChatTurn>?>(errors, n, "prompt", "must be a non-empty string.", null);
            return CheckText(prompt.GetString()!, n, "prompt", errors) ? [new ChatTurn("user", prompt.GetString()!)] : null;
        }
        if (conversation.ValueKind != JsonValueKind.Array || conversation.GetArrayLength() == 0)
            return Error<List<ChatTurn>?>(errors, n, "conversation", "must be a non-empty list of turns.", null);
        var turns = new List<ChatTurn>();
        var i = 0;
        foreach (var turn in conversation.EnumerateArray())
        {
            var field = $"conversation[{i++}]";
            var role = turn.ValueKind == JsonValueKind.Object && turn.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : null;
            var content = turn.ValueKind == JsonValueKind.Object && turn.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : null;
            if (role is null || !ChatTurn.Roles.Contains(role))
                errors.Add(new ImportError(n, field + ".role", "must be \"system\", \"user\" or \"assistant\"."));
            else if (string.IsNullOrEmpty(content))
                errors.Add(new ImportError(n, field + ".content", "must be a non-empty string."));
            else if (CheckText(content, n, field + ".content", errors))
                turns.Add(new ChatTurn(role, content));
        }
        if (turns.Count > 0 && turns.Count == conversation.GetArrayLength() && turns[^1].Role != "user")
            errors.Add(new ImportError(n, "conversation", "the last turn must be the user's: it is what the responses answer."));
        return turns;
    }

    private static List<ImportedResponse>? ReadResponses(JsonElement root, int n, List<ImportError> errors)
    {
        if (!root.TryGetProperty("responses", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            return Error<List<ImportedResponse>?>(errors, n, "responses", "must be a non-empty list.", null);
        var responses = new List<ImportedResponse>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"responses[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ImportError(n, field, "must be an object with \"text\" and \"model\"."));
                continue;
            }
            var text = item.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : null;
            var model = item.TryGetProperty("model", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : null;
            if (text is null)
                errors.Add(new ImportError(n, field + ".text", "is missing or not a string."));
            else if (text.Length > MaxTextLength)
                errors.Add(new ImportError(n, field + ".text", $"has {text.Length} characters; at most {MaxTextLength}."));
            if (string.IsNullOrWhiteSpace(model) || model.Length > 200)
                errors.Add(new ImportError(n, field + ".model", "must name the model or source that wrote it (1 to 200 characters)."));
            var metadata = item.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m.GetRawText() : "{}";
            if (text is not null && text.Length <= MaxTextLength && !string.IsNullOrWhiteSpace(model) && model.Length <= 200)
                responses.Add(new ImportedResponse(text, model, metadata));
        }
        return responses.Count == list.GetArrayLength() ? responses : null;
    }

    private static List<TaskKind> ReadKinds(JsonElement root, int n, Project project, int responseCount, List<ImportError> errors)
    {
        var kinds = new List<TaskKind>();
        if (!root.TryGetProperty("kinds", out var list))
        {
            // By default every kind the project collects that this many responses allow.
            foreach (var kind in Enum.GetValues<TaskKind>())
                if (project.Collects(kind) && Fits(kind, responseCount))
                    kinds.Add(kind);
            if (kinds.Count == 0 && responseCount > 0)
                errors.Add(new ImportError(n, "responses", $"{responseCount} response(s) fit no kind of task this project collects ({project.Kinds})."));
            return kinds;
        }
        if (list.ValueKind != JsonValueKind.Array)
            return Error(errors, n, "kinds", "must be a list such as [\"pairwise\", \"ranking\"].", kinds);
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !Enum.TryParse<TaskKind>(item.GetString(), ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
                errors.Add(new ImportError(n, "kinds", $"unknown kind {item.GetRawText()}; use pairwise, ranking, span or principle."));
            else if (!project.Collects(kind))
                errors.Add(new ImportError(n, "kinds", $"this project does not collect {kind} feedback."));
            else if (!Fits(kind, responseCount))
            {
                var (min, max) = AnnotationTask.ResponseCountRange(kind);
                errors.Add(new ImportError(n, "kinds", $"a {kind} task needs {min} to {max} responses; this line has {responseCount}."));
            }
            else if (!kinds.Contains(kind))
                kinds.Add(kind);
        }
        return kinds;
    }

    /// <summary>Span and principle tasks are made one per response, so any count fits them.</summary>
    private static bool Fits(TaskKind kind, int responseCount) => kind switch
    {
        TaskKind.Span or TaskKind.Principle => responseCount >= 1,
        _ => responseCount >= AnnotationTask.ResponseCountRange(kind).Min && responseCount <= AnnotationTask.ResponseCountRange(kind).Max,
    };

    private static string? RequiredString(JsonElement root, string name, int n, List<ImportError> errors, int maxLength)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            return Error<string?>(errors, n, name, "is missing or empty.", null);
        var text = value.GetString()!;
        return text.Length > maxLength ? Error<string?>(errors, n, name, $"has more than {maxLength} characters.", null) : text;
    }

    private static bool CheckText(string text, int n, string field, List<ImportError> errors)
    {
        if (text.Length <= MaxTextLength)
            return true;
        errors.Add(new ImportError(n, field, $"has {text.Length} characters; at most {MaxTextLength}."));
        return false;
    }

    /// <summary>
    /// Every string and property name must be text PostgreSQL can store: no NUL (U+0000, refused in text and jsonb),
    /// and no "\ud800"-style escape of half a surrogate pair, which is no character at all.
    /// </summary>
    private static void CheckStrings(JsonElement element, string path, int n, List<ImportError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new ImportError(n, path.Length == 0 ? "(a property name)" : path, LoneSurrogate));
                        continue;
                    }
                    var field = path.Length == 0 ? name : $"{path}.{name}";
                    if (name.Contains('\0', StringComparison.Ordinal))
                        errors.Add(new ImportError(n, field.Replace("\0", "\\u0000", StringComparison.Ordinal), "this property name " + Nul));
                    else
                        CheckStrings(property.Value, field, n, errors);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    CheckStrings(item, $"{path}[{i++}]", n, errors);
                break;
            case JsonValueKind.String:
                try
                {
                    if (element.GetString()!.Contains('\0', StringComparison.Ordinal))
                        errors.Add(new ImportError(n, path, Nul));
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new ImportError(n, path, LoneSurrogate));
                }
                break;
        }
    }

    private const string Nul = StorableText.Nul;
    private const string LoneSurrogate = StorableText.LoneSurrogate;

    private static T Error<T>(List<ImportError> errors, int line, string field, string message, T fallback)
    {
        errors.Add(new ImportError(line, field, message));
        return fallback;
    }
}
