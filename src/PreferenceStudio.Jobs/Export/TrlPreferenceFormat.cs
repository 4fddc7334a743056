using System.Text.Json;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// TRL's conversational preference layout (prompt, chosen, rejected), as DPOTrainer and RewardTrainer read it, one
/// row per pair of <see cref="PreferencePairSource"/> (so the export and training see the same pairs). Besides TRL's
/// fields: "margin" (strength, rank difference, or 1 for a principle), "weight" (a ranking's or a principle group's
/// pairs share one example), and the provenance: "source", "task_id" and "annotator" (the first of "task_ids" and
/// "annotators", which list every label behind the pair), "labelled_at" (the newest of them), "principle" (its key, or null).
/// </summary>
public sealed class TrlPreferenceFormat : IDatasetFormat
{
    public ExportFormat Format => ExportFormat.TrlPreference;

    public Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken) =>
        WritePairsAsync(db, projectId, writer, cancellationToken);

    /// <summary>Writes every pair and returns what was kept and left out.</summary>
    public static async Task<PairCounts> WritePairsAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken)
    {
        var source = new PreferencePairSource(db);
        await foreach (var pair in source.ReadAsync(projectId, cancellationToken))
            await writer.WriteRowAsync(json => WritePair(json, pair), cancellationToken);
        return source.Counts;
    }

    private static void WritePair(Utf8JsonWriter json, LabelledPair pair)
    {
        DatasetWriter.WriteMessages(json, "prompt", pair.Prompt);
        DatasetWriter.WriteAssistant(json, "chosen", pair.Chosen);
        DatasetWriter.WriteAssistant(json, "rejected", pair.Rejected);
        json.WriteNumber("margin", pair.Margin);
        json.WriteNumber("weight", pair.Weight);
        json.WriteString("source", SourceName(pair.Source));
        json.WriteNumber("task_id", pair.TaskIds[0]);
        json.WriteString("annotator", pair.Annotators[0]);
        json.WriteStartArray("task_ids");
        foreach (var id in pair.TaskIds) json.WriteNumberValue(id);
        json.WriteEndArray();
        json.WriteStartArray("annotators");
        foreach (var annotator in pair.Annotators) json.WriteStringValue(annotator);
        json.WriteEndArray();
        json.WriteString("labelled_at", pair.LabelledAt);
        if (pair.PrincipleKey is null) json.WriteNull("principle");
        else json.WriteString("principle", pair.PrincipleKey);
    }

    private static string SourceName(PairSourceKind source) => source switch
    {
        PairSourceKind.Pairwise => "pairwise",
        PairSourceKind.Ranking => "ranking",
        PairSourceKind.Principle => "principle",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown pair source"),
    };

    internal static void WriteProvenance(Utf8JsonWriter json, string source, Annotation label)
    {
        json.WriteString("source", source);
        json.WriteNumber("task_id", label.TaskId);
        json.WriteString("annotator", label.AnnotatorId);
    }
}
