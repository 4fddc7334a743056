using System.Collections.Immutable;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// Hands the changes of training runs, as the listener hears them from PostgreSQL, to the circuits that watch those
/// runs. One per web node. A watcher's callback runs off the listener's thread and is never awaited by it, so a slow or
/// broken circuit delays nobody else; callbacks only learn *that* a run changed and re-read what they show.
/// </summary>
public sealed class RunChangeFeed(ILogger<RunChangeFeed> logger)
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<long, ImmutableList<Watcher>> _byRun = ImmutableDictionary<long, ImmutableList<Watcher>>.Empty;
    private ImmutableList<Watcher> _everyRun = [];

    /// <summary>Calls <paramref name="onChange"/> whenever run <paramref name="runId"/> changes; dispose to stop.</summary>
    public IDisposable Watch(long runId, Func<long, Task> onChange)
    {
        var watcher = new Watcher(onChange);
        lock (_gate)
            _byRun = _byRun.SetItem(runId, _byRun.GetValueOrDefault(runId, []).Add(watcher));
        return new Unwatch(() =>
        {
            lock (_gate)
            {
                var left = _byRun.GetValueOrDefault(runId, []).Remove(watcher);
                _byRun = left.IsEmpty ? _byRun.Remove(runId) : _byRun.SetItem(runId, left);
            }
        });
    }

    /// <summary>Calls <paramref name="onChange"/> with the run's id whenever any run changes (a list of runs); dispose to stop.</summary>
    public IDisposable WatchAll(Func<long, Task> onChange)
    {
        var watcher = new Watcher(onChange);
        lock (_gate)
            _everyRun = _everyRun.Add(watcher);
        return new Unwatch(() =>
        {
            lock (_gate)
                _everyRun = _everyRun.Remove(watcher);
        });
    }

    /// <summary>How many circuits watch this run now.</summary>
    public int WatcherCount(long runId) => _byRun.GetValueOrDefault(runId, []).Count;

    /// <summary>Run <paramref name="runId"/> changed: tell whoever watches it.</summary>
    public void Publish(long runId)
    {
        foreach (var watcher in _byRun.GetValueOrDefault(runId, []).Concat(_everyRun))
            _ = CallAsync(watcher, runId);
    }

    /// <summary>
    /// Changes may have been missed (the listener was reconnecting): every watcher re-reads its run, since nobody knows
    /// which runs changed meanwhile.
    /// </summary>
    public void PublishToAll()
    {
        foreach (var (runId, watchers) in _byRun)
            foreach (var watcher in watchers)
                _ = CallAsync(watcher, runId);
        foreach (var watcher in _everyRun)
            _ = CallAsync(watcher, 0);
    }

    private async Task CallAsync(Watcher watcher, long runId)
    {
        try
        {
            await Task.Yield();
            await watcher.OnChange(runId);
        }
        catch (Exception error) when (error is ObjectDisposedException or TaskCanceledException)
        {
            // The circuit went away between the change and the call; its Dispose removes the watcher.
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "A page watching training run {Run} failed to take a change", runId);
        }
    }

    // A class, not a record: two watchers with the same callback are still two subscriptions.
    private sealed class Watcher(Func<long, Task> onChange)
    {
        public Func<long, Task> OnChange { get; } = onChange;
    }

    private sealed class Unwatch(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
