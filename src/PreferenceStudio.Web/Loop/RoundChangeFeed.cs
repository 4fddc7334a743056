using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Loop;

/// <summary>
/// Hands the changes of loop rounds (channel loop_round_changed, heard by <see cref="RunChangeListener"/>) to the
/// circuits that watch them: the same fan-out as the runs' feed, over round ids. One per web node.
/// </summary>
public sealed class RoundChangeFeed(ILogger<RunChangeFeed> logger)
{
    private readonly RunChangeFeed _rounds = new(logger);

    /// <summary>Calls <paramref name="onChange"/> whenever round <paramref name="roundId"/> changes; dispose to stop.</summary>
    public IDisposable Watch(long roundId, Func<long, Task> onChange) => _rounds.Watch(roundId, onChange);

    /// <summary>Calls <paramref name="onChange"/> with the round's id whenever any round changes; dispose to stop.</summary>
    public IDisposable WatchAll(Func<long, Task> onChange) => _rounds.WatchAll(onChange);

    public void Publish(long roundId) => _rounds.Publish(roundId);

    public void PublishToAll() => _rounds.PublishToAll();
}
