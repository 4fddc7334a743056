using System.Text.Json;

namespace PreferenceStudio.Training.Principles;

/// <summary>A principle as the model was trained on it: the key its metrics are named by, and the text it reads.</summary>
public sealed record PrincipleDefinition(string Key, string Text);

/// <summary>
/// The principles a principle reward model was trained on, kept in its folder beside the weights (principles.json),
/// so whoever loads the model later (a PPO run's reward, a scoring page) conditions it on the same texts, in the
/// project's order, without the project's database.
/// </summary>
public static class PrincipleSet
{
    public const string FileName = "principles.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private sealed record Stored(IReadOnlyList<PrincipleDefinition> Principles);

    public static void Save(string folder, IReadOnlyList<PrincipleDefinition> principles)
    {
        ArgumentNullException.ThrowIfNull(principles);
        Check(principles, folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(new Stored(principles), Json));
    }

    /// <summary>The principles of a folder written by <see cref="Save"/>, in their order.</summary>
    public static IReadOnlyList<PrincipleDefinition> Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{folder} is not a principle reward model of this tool: no {FileName}", path);
        var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Json)
            ?? throw new InvalidDataException($"{path}: the JSON is null");
        var principles = stored.Principles ?? throw new InvalidDataException($"{path}: no \"principles\" list");
        Check(principles, path);
        return principles;
    }

    private static void Check(IReadOnlyList<PrincipleDefinition> principles, string where)
    {
        for (var i = 0; i < principles.Count; i++)
        {
            if (principles[i] is not { Key: { Length: > 0 } key, Text: { } text } || string.IsNullOrWhiteSpace(text))
                throw new InvalidDataException($"{where}: principles[{i}] needs a key and a text");
            if (principles.Take(i).Any(p => p.Key == key))
                throw new InvalidDataException($"{where}: principle '{key}' is listed twice");
        }
    }
}
