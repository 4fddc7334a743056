using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Models.Tokenization;

namespace PreferenceStudio.Jobs.Training;

/// <summary>A prompt PPO samples answers to: its id in the project, and its conversation in ChatML with the assistant's turn opened.</summary>
public sealed record PpoPrompt(int PromptId, long[] Tokens);

/// <summary>
/// A PPO run's prompts as JSON Lines in TRL's prompt-only conversational format ({"prompt": [{"role", "content"}, ...]}
/// plus "prompt_id"), and the counts file beside them: how many prompts, and the labels behind the reward models the
/// run uses (their labels seen, summed, and the newest of their newest labels).
/// </summary>
public static class PpoPromptSnapshot
{
    public const string CountsFile = "prompt-counts.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public sealed record Counts(int Prompts, int Labels, DateTimeOffset? NewestLabelAt)
    {
        public string ToJson() => JsonSerializer.Serialize(this, Json);

        public static Counts FromJson(string json) =>
            JsonSerializer.Deserialize<Counts>(json, Json) ?? throw new FormatException($"{CountsFile} is empty.");

        /// <summary>
        /// The counts of <paramref name="prompts"/> prompts and the labels behind the reward models <paramref name="reward"/>
        /// names, summed over the models: an upper bound when a principle verdict taught both the scalar model (as a
        /// preference pair) and the principle model, since the models record how many labels they saw, not which.
        /// </summary>
        public static async Task<Counts> OfAsync(PreferenceStudioDbContext db, int prompts, PpoRewardSection reward, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(db);
            var ids = PpoRewardSourceLoaders.All.Select(l => l.ModelId(reward)).OfType<int>().ToList();
            var models = await db.ModelVersions.AsNoTracking().Where(m => ids.Contains(m.Id))
                .Select(m => new { m.LabelsSeen, m.NewestLabelAt }).ToListAsync(cancellationToken);
            return new Counts(prompts, models.Sum(m => m.LabelsSeen ?? 0), models.Max(m => m.NewestLabelAt));
        }
    }

    /// <summary>Every prompt of the project, in id order; returns how many.</summary>
    public static async Task<int> WriteProjectPromptsAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter dataset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(dataset);
        var count = 0;
        await foreach (var prompt in db.Prompts.AsNoTracking().Where(p => p.ProjectId == projectId).OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await WriteAsync(dataset, prompt, cancellationToken);
            count++;
        }
        return count;
    }

    public static Task WriteAsync(DatasetWriter dataset, Prompt prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(prompt);
        return dataset.WriteRowAsync(json =>
        {
            json.WriteNumber("prompt_id", prompt.Id);
            DatasetWriter.WriteMessages(json, "prompt", prompt.Conversation);
        }, cancellationToken);
    }

    /// <summary>The snapshot's prompts, each rendered in ChatML with the assistant's turn opened and tokenized; a bad line names its number.</summary>
    public static List<PpoPrompt> Load(string file, BpeTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var prompts = new List<PpoPrompt>();
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var row = JsonDocument.Parse(line);
                var id = row.RootElement.GetProperty("prompt_id").GetInt32();
                var turns = row.RootElement.GetProperty("prompt").EnumerateArray()
                    .Select(t => new ChatMessage(t.GetProperty("role").GetString()!, t.GetProperty("content").GetString()!)).ToList();
                prompts.Add(new PpoPrompt(id, tokenizer.Encode(ChatML.Format(turns))));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{file}:{number}: not a prompt row ({ex.Message})", ex);
            }
        }
        return prompts;
    }
}
