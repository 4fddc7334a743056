using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs;
using PreferenceStudio.Training.Principles;
using PreferenceStudio.Training.Spans;

namespace PreferenceStudio.Web.Training;

/// <summary>A category's held-out token-level scores, as the span trainer reports them ("eval_{category}/f1", ...).</summary>
public sealed record CategoryScore(string Category, double Precision, double Recall, double F1);

/// <summary>A principle's held-out accuracy and how many verdicts it was measured on; the text when the model kept it.</summary>
public sealed record PrincipleScore(string Key, string? Text, double Accuracy, int Examples);

/// <summary>What a span or principle reward model run measured on its held-out examples.</summary>
public sealed record RewardKindResults(ModelKind Kind, double? Headline, IReadOnlyList<CategoryScore> Categories, IReadOnlyList<PrincipleScore> Principles);

/// <summary>
/// Reads a finished span or principle run's held-out results from its model version's metrics (the job records them
/// there): per category precision, recall and F1, or per principle accuracy. Each call opens its own context.
/// </summary>
public sealed class RewardKindResultsQuery(IDbContextFactory<PreferenceStudioDbContext> contexts, IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    /// <summary>The held-out number the model list and the run show first for a model of this kind.</summary>
    public static string HeadlineKey(ModelKind kind) => kind switch
    {
        ModelKind.SpanReward => "eval_macro_f1",
        ModelKind.PrincipleReward => "eval_accuracy",
        _ => MetricKeys.EvalAccuracy,
    };

    /// <summary>The run's results, or null when it made no span or principle model (yet).</summary>
    public async Task<RewardKindResults?> ForRunAsync(long runId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var model = await db.TrainingRuns.AsNoTracking().Where(r => r.Id == runId)
            .Join(db.ModelVersions.AsNoTracking(), r => r.OutputModelVersionId, m => (int?)m.Id, (r, m) => new { m.Kind, m.MetricsJson, m.CheckpointPath })
            .FirstOrDefaultAsync(ct);
        if (model is null || model.Kind is not (ModelKind.SpanReward or ModelKind.PrincipleReward))
            return null;
        var metrics = Parse(model.MetricsJson);
        var headline = metrics.TryGetValue(HeadlineKey(model.Kind), out var value) ? value : (double?)null;
        return model.Kind == ModelKind.SpanReward
            ? new RewardKindResults(model.Kind, headline, Categories(metrics, CategoriesOf(model.CheckpointPath)), [])
            : new RewardKindResults(model.Kind, headline, [], Principles(metrics, TextsOf(model.CheckpointPath)));
    }

    /// <summary>
    /// Each category with "/f1" among the keys, in the model's taxonomy order where its folder says it, by name
    /// otherwise (the stored metrics are jsonb, which keeps no key order).
    /// </summary>
    public static IReadOnlyList<CategoryScore> Categories(IReadOnlyDictionary<string, double> metrics, IReadOnlyList<string> known)
    {
        var order = known.Select((c, i) => (c, i)).GroupBy(x => x.c, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        return metrics.Keys.Where(k => k.StartsWith("eval_", StringComparison.Ordinal) && k.EndsWith("/f1", StringComparison.Ordinal))
            .Select(k => k["eval_".Length..^"/f1".Length])
            .OrderBy(c => order.GetValueOrDefault(c, int.MaxValue)).ThenBy(c => c, StringComparer.Ordinal)
            .Select(c => new CategoryScore(c, metrics.GetValueOrDefault($"eval_{c}/precision"), metrics.GetValueOrDefault($"eval_{c}/recall"), metrics[$"eval_{c}/f1"]))
            .ToList();
    }

    /// <summary>Each principle measured ("eval_accuracy/{key}"), in the model's principle order where it kept one.</summary>
    public static IReadOnlyList<PrincipleScore> Principles(IReadOnlyDictionary<string, double> metrics, IReadOnlyList<PrincipleDefinition> known)
    {
        const string prefix = "eval_accuracy/";
        var order = known.Select((p, i) => (p.Key, i)).ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
        return metrics.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..])
            .OrderBy(k => order.GetValueOrDefault(k, int.MaxValue)).ThenBy(k => k, StringComparer.Ordinal)
            .Select(k => new PrincipleScore(k, known.FirstOrDefault(p => p.Key == k)?.Text, metrics[prefix + k], (int)metrics.GetValueOrDefault($"eval_examples/{k}")))
            .ToList();
    }

    /// <summary>The categories of a span model version, in its taxonomy's order (the folder records them); empty when unreadable.</summary>
    public async Task<IReadOnlyList<string>> CategoriesOfModelAsync(int modelId, CancellationToken ct) =>
        await CheckpointOfAsync(modelId, ModelKind.SpanReward, ct) is { } path ? CategoriesOf(path) : [];

    /// <summary>The principles a principle model version was trained on, in its order; empty when unreadable.</summary>
    public async Task<IReadOnlyList<PrincipleDefinition>> PrinciplesOfModelAsync(int modelId, CancellationToken ct) =>
        await CheckpointOfAsync(modelId, ModelKind.PrincipleReward, ct) is { } path ? TextsOf(path) : [];

    private async Task<string?> CheckpointOfAsync(int modelId, ModelKind kind, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().Where(m => m.Id == modelId && m.Kind == kind).Select(m => m.CheckpointPath).FirstOrDefaultAsync(ct);
    }

    private IReadOnlyList<string> CategoriesOf(string checkpointPath)
    {
        try
        {
            return SpanRewardModel.ReadCategories(storage.Value.Resolve(environment.ContentRootPath, checkpointPath));
        }
        catch (Exception error) when (error is IOException or InvalidDataException or JsonException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException)
        {
            // A store this node cannot read still shows the numbers, by name.
            return [];
        }
    }

    private IReadOnlyList<PrincipleDefinition> TextsOf(string checkpointPath)
    {
        try
        {
            return PrincipleSet.Read(storage.Value.Resolve(environment.ContentRootPath, checkpointPath));
        }
        catch (Exception error) when (error is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            // A store this node cannot read (or a model from elsewhere) still shows its numbers, by key.
            return [];
        }
    }

    /// <summary>The metrics' numbers; anything that is not a number is skipped.</summary>
    public static IReadOnlyDictionary<string, double> Parse(string metricsJson)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(metricsJson);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return metrics;
            foreach (var property in json.RootElement.EnumerateObject())
                if (property.Value.ValueKind == JsonValueKind.Number)
                    metrics[property.Name] = property.Value.GetDouble();
        }
        catch (JsonException)
        {
        }
        return metrics;
    }
}
