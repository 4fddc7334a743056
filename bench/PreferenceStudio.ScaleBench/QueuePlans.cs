using Npgsql;
using PreferenceStudio.Annotating;

namespace PreferenceStudio.ScaleBench;

/// <summary>
/// EXPLAIN (ANALYZE, BUFFERS) of each statement of a next task, with the parameters a fresh annotator sends, inside a
/// transaction that is rolled back (the reclaim and the slot insert really run).
/// </summary>
internal static class QueuePlans
{
    public static async Task RunAsync(string connection)
    {
        var (projectId, annotator) = await ScaleProject.FreshAnnotatorsAsync(connection, 1, "plan");
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        long candidate = 0;
        await ExplainAsync(c, "expire leases", LeaseStatements.ExpireLeases, projectId, now);
        await ExplainAsync(c, "current lease", LeaseStatements.CurrentLease, annotator[0], now, projectId);
        await ExplainAsync(c, "candidate (first batch)", LeaseStatements.Candidate(wait: false, unlessLeased: true),
            projectId, false, Array.Empty<long>(), annotator[0], now);
        // What nearly every next task runs: the candidate and its slot in one statement.
        await ExplainAsync(c, "candidate and its slot (the one-round-trip lease)", LeaseStatements.TakeCandidate,
            projectId, false, Array.Empty<long>(), annotator[0], now, now.AddMinutes(30));
        // A gold draw in a project with no gold task left for this annotator: the case an index must end quickly.
        await ExplainAsync(c, "candidate (first batch), gold wanted", LeaseStatements.Candidate(wait: false, unlessLeased: true),
            projectId, true, Array.Empty<long>(), annotator[0], now);
        await using (var tx = await c.BeginTransactionAsync())
        await using (var find = new NpgsqlCommand(LeaseStatements.Candidate(wait: false), c, tx)
        {
            Parameters = { new() { Value = projectId }, new() { Value = false }, new() { Value = Array.Empty<long>() }, new() { Value = annotator[0] } },
        })
            candidate = (long)(await find.ExecuteScalarAsync())!;
        await ExplainAsync(c, "take slot", LeaseStatements.TakeSlot, candidate, annotator[0], now, now.AddMinutes(30));
    }

    private static async Task ExplainAsync(NpgsqlConnection c, string name, string sql, params object[] values)
    {
        // Twice, each rolled back: the first run warms the cache, the second is the steady state a busy queue sees.
        var lines = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            lines.Clear();
            await using var tx = await c.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, c, tx);
            foreach (var value in values)
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    lines.Add(reader.GetString(0));
            await tx.RollbackAsync();
        }
        Console.WriteLine($"-- {name}");
        foreach (var line in lines)
            Console.WriteLine(line);
        Console.WriteLine();
    }
}
