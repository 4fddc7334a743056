using System.Data;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// A project's current pairwise labels turned into pairs (rules on <see cref="PreferencePairSource"/>), read as one
/// query streamed row by row with the prompt and both texts joined in: no entity is built or tracked, no batch is
/// held, and the export runs at the speed PostgreSQL sends the rows. Rows come in label id order.
/// </summary>
public static class PairwiseRows
{
    /// <summary>The statement, with the project id as $1; the scale bench COPYs the same rows beside it.</summary>
    public const string Select = """
        SELECT a.id, a.task_id, a.annotator_id, a.created_at, p.response_a_id, p.response_b_id, p.preference, p.both_bad,
               t.prompt_id, pr.conversation, ra.text, rb.text
        FROM annotations AS a
        JOIN pairwise_annotations AS p ON p.id = a.id
        JOIN annotation_tasks AS t ON t.id = a.task_id
        JOIN prompts AS pr ON pr.id = t.prompt_id
        JOIN responses AS ra ON ra.id = p.response_a_id
        JOIN responses AS rb ON rb.id = p.response_b_id
        WHERE a.superseded_at IS NULL AND t.project_id = $1
        ORDER BY a.id
        """;

    public static async IAsyncEnumerable<LabelledPair> ReadAsync(PreferenceStudioDbContext db, int projectId, PairCounts counts,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(counts);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(Select, connection, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction())
            {
                Parameters = { new() { Value = projectId } },
                CommandTimeout = 0,
            };
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            // A task's labels come one after another, so its prompt is parsed once for all of them.
            var (lastPromptId, lastPrompt) = (0, (IReadOnlyList<ChatTurn>)[]);
            while (await reader.ReadAsync(cancellationToken))
            {
                var taskId = reader.GetInt64(1);
                var annotator = reader.GetString(2);
                var at = reader.GetFieldValue<DateTimeOffset>(3);
                int a = reader.GetInt32(4), b = reader.GetInt32(5);
                var preference = reader.GetInt32(6);
                var bothBad = reader.GetBoolean(7);
                counts.Read(PairSourceKind.Pairwise, at);
                if (bothBad)
                {
                    counts.LeaveOut(LeftOutReason.PairwiseBothBad);
                    continue;
                }
                if (preference == 0)
                {
                    counts.LeaveOut(LeftOutReason.PairwiseTie);
                    continue;
                }
                var promptId = reader.GetInt32(8);
                var conversation = reader.GetString(9);
                if (promptId != lastPromptId)
                    (lastPromptId, lastPrompt) = (promptId, Conversation(conversation, promptId));
                string textA = reader.GetString(10), textB = reader.GetString(11);
                counts.Keep(PairSourceKind.Pairwise);
                var (chosen, chosenText, rejected, rejectedText) = preference < 0 ? (a, textA, b, textB) : (b, textB, a, textA);
                yield return new LabelledPair(PairSourceKind.Pairwise, promptId, lastPrompt, chosen, chosenText, rejected, rejectedText,
                    Math.Abs(preference), 1, [taskId], [annotator], at);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The prompt's turns from the JSON column EF writes them to (an array of objects with Role and Content).</summary>
    private static List<ChatTurn> Conversation(string json, int promptId)
    {
        using var document = JsonDocument.Parse(json);
        var turns = new List<ChatTurn>(document.RootElement.GetArrayLength());
        foreach (var turn in document.RootElement.EnumerateArray())
        {
            if (!turn.TryGetProperty(nameof(ChatTurn.Role), out var role) || !turn.TryGetProperty(nameof(ChatTurn.Content), out var content))
                throw new InvalidDataException($"Prompt {promptId}: a conversation turn lacks its Role or Content.");
            turns.Add(new ChatTurn(role.GetString()!, content.GetString()!));
        }
        return turns;
    }
}
