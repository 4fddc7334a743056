using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Training;

/// <summary>Where a model version came from, as the chain model → parent → ... → the model nothing here trained.</summary>
public sealed class ModelLineage(PreferenceStudioDbContext db)
{
    /// <summary>A guard against a cycle a hand-edited database could hold; no real lineage is this long.</summary>
    private const int MaxDepth = 10_000;

    /// <summary>The model first and its oldest ancestor last; empty when no model has that id.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ChainAsync(int modelId, CancellationToken cancellationToken)
    {
        // One round trip whatever the length: the chain is walked in PostgreSQL, nearest ancestor first.
        var chain = await db.ModelVersions.FromSql($"""
                WITH RECURSIVE chain AS (
                    SELECT m.*, 0 AS depth FROM model_versions m WHERE m.id = {modelId}
                    UNION ALL
                    SELECT p.*, c.depth + 1 FROM model_versions p JOIN chain c ON p.id = c.parent_id WHERE c.depth < {MaxDepth}
                )
                SELECT * FROM chain ORDER BY depth
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return chain;
    }
}
