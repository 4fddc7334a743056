namespace PreferenceStudio.Web.Training;

/// <summary>
/// What a run's page shows, kept current by pushes: the first load reads everything, each push re-reads the run's row
/// and only the metric points written since the newest one held. Pushes may arrive while a read is going; reads run
/// one at a time, and one that finds nothing new costs one indexed query.
/// </summary>
public sealed class LiveRun(TrainingQuery query, long runId) : IDisposable
{
    private readonly SemaphoreSlim _oneRead = new(1, 1);

    public RunDetails? Details { get; private set; }
    public RunCurves Curves { get; private set; } = new();

    /// <summary>Reads the run and all its points; false when there is no such run.</summary>
    public async Task<bool> LoadAsync(CancellationToken ct)
    {
        await _oneRead.WaitAsync(ct);
        try
        {
            Details = await query.RunAsync(runId, ct);
            Curves = new RunCurves();
            if (Details is not null)
                Curves.Add(await query.PointsAsync(runId, 0, ct));
            return Details is not null;
        }
        finally
        {
            _oneRead.Release();
        }
    }

    /// <summary>Takes what changed since the last read.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _oneRead.WaitAsync(ct);
        try
        {
            Details = await query.RunAsync(runId, ct);
            if (Details is null)
                return;
            // A run taken over by another worker restarts from its last checkpoint and drops the points after it: the
            // run's step goes back, and the curve is read again from the start rather than patched.
            if (Details.Run.Step < Curves.LastStep)
                Curves = new RunCurves();
            Curves.Add(await query.PointsAsync(runId, Curves.LastPointId, ct));
        }
        finally
        {
            _oneRead.Release();
        }
    }

    public void Dispose() => _oneRead.Dispose();
}
