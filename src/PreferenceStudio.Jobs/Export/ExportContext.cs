using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>
/// Prompts and responses looked up by id for a batch of labels, so an export of any size holds only one batch
/// of texts in memory at a time.
/// </summary>
public sealed class ExportContext(PreferenceStudioDbContext db)
{
    public const int BatchSize = 500;

    public IReadOnlyDictionary<int, IReadOnlyList<ChatTurn>> Prompts { get; private set; } = new Dictionary<int, IReadOnlyList<ChatTurn>>();
    public IReadOnlyDictionary<int, (string Text, string Source)> Responses { get; private set; } = new Dictionary<int, (string, string)>();

    public async Task LoadAsync(IEnumerable<int> promptIds, IEnumerable<int> responseIds, CancellationToken cancellationToken)
    {
        var pids = promptIds.Distinct().ToList();
        var rids = responseIds.Distinct().ToList();
        Prompts = (await db.Prompts.AsNoTracking().Where(p => pids.Contains(p.Id)).ToListAsync(cancellationToken))
            .ToDictionary(p => p.Id, p => p.Conversation);
        Responses = await db.Responses.AsNoTracking().Where(r => rids.Contains(r.Id))
            .ToDictionaryAsync(r => r.Id, r => (r.Text, r.Source), cancellationToken);
    }
}
