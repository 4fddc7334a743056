namespace PreferenceStudio.Web.Loop;

/// <summary>
/// What a round's page shows, read again on every push: reads run one at a time, so a slow read that began before a
/// newer change can never overwrite what the newer read found.
/// </summary>
public sealed class LiveRound(LoopQuery query, string slug, int number) : IDisposable
{
    private readonly SemaphoreSlim _oneRead = new(1, 1);

    public string Slug => slug;
    public int Number => number;
    public RoundDetails? Details { get; private set; }

    /// <summary>Reads the round; false when the project has no such round.</summary>
    public async Task<bool> ReadAsync(CancellationToken ct)
    {
        await _oneRead.WaitAsync(ct);
        try
        {
            Details = await query.RoundAsync(slug, number, ct);
            return Details is not null;
        }
        finally
        {
            _oneRead.Release();
        }
    }

    public void Dispose() => _oneRead.Dispose();
}
