using Microsoft.Extensions.Logging.Abstractions;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Tests.Training;

public class RunChangeFeedTests
{
    private readonly RunChangeFeed _feed = new(NullLogger<RunChangeFeed>.Instance);

    /// <summary>Records the calls a watcher gets; they arrive off the caller's thread.</summary>
    private sealed class Calls
    {
        private readonly System.Threading.Channels.Channel<long> _calls = System.Threading.Channels.Channel.CreateUnbounded<long>();

        public Task OnChange(long runId) => _calls.Writer.WriteAsync(runId).AsTask();

        public async Task<long> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await _calls.Reader.ReadAsync(timeout.Token);
        }

        public int Waiting => _calls.Reader.Count;
    }

    [Fact]
    public async Task Publish_WatchedRun_CallsItsWatchersAndTheWatchersOfEveryRunOnly()
    {
        var (run7, run8, every) = (new Calls(), new Calls(), new Calls());
        using var a = _feed.Watch(7, run7.OnChange);
        using var b = _feed.Watch(8, run8.OnChange);
        using var c = _feed.WatchAll(every.OnChange);

        _feed.Publish(7);

        (await run7.NextAsync()).ShouldBe(7);
        (await every.NextAsync()).ShouldBe(7);
        await Task.Delay(50);
        run8.Waiting.ShouldBe(0);
    }

    [Fact]
    public async Task Watch_Disposed_StopsTheCallsAndForgetsTheRun()
    {
        var (kept, dropped) = (new Calls(), new Calls());
        using var keep = _feed.Watch(7, kept.OnChange);
        var drop = _feed.Watch(7, dropped.OnChange);

        drop.Dispose();
        drop.Dispose();
        _feed.Publish(7);

        (await kept.NextAsync()).ShouldBe(7);
        await Task.Delay(50);
        dropped.Waiting.ShouldBe(0);
        _feed.WatcherCount(7).ShouldBe(1);
    }

    [Fact]
    public async Task PublishToAll_AfterAGap_CallsEveryWatcherWithItsOwnRun()
    {
        var (run7, run8) = (new Calls(), new Calls());
        using var a = _feed.Watch(7, run7.OnChange);
        using var b = _feed.Watch(8, run8.OnChange);

        _feed.PublishToAll();

        (await run7.NextAsync()).ShouldBe(7);
        (await run8.NextAsync()).ShouldBe(8);
    }

    [Fact]
    public async Task Publish_AWatcherThrows_TheOthersAreStillCalled()
    {
        var healthy = new Calls();
        using var broken = _feed.Watch(7, _ => throw new InvalidOperationException("circuit gone wrong"));
        using var fine = _feed.Watch(7, healthy.OnChange);

        _feed.Publish(7);

        (await healthy.NextAsync()).ShouldBe(7);
    }
}
