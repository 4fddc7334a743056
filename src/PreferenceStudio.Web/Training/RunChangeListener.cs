using Npgsql;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Loop;

namespace PreferenceStudio.Web.Training;

/// <summary>
/// Holds one PostgreSQL connection that LISTENs on <see cref="RunChanges.Channel"/> and passes each notification to the
/// <see cref="RunChangeFeed"/>. The workers are other processes; this is how a web node learns that a run it shows got
/// new metric points or a new state. A dropped connection (a database restart, pg_terminate_backend, a network cut
/// found by the keepalive) is opened again with a growing pause, and every watcher then re-reads its run, since what
/// was announced while nobody listened is lost. The same connection listens on <see cref="RoundChanges.Channel"/> for
/// the loop's rounds and passes those to the <see cref="RoundChangeFeed"/>.
/// </summary>
public sealed partial class RunChangeListener(RunChangeFeed feed, RoundChangeFeed rounds, IConfiguration configuration, ILogger<RunChangeListener> logger)
    : BackgroundService
{
    /// <summary>Names the connection in pg_stat_activity, so an operator (or a test) can find it.</summary>
    public const string ApplicationName = "PreferenceStudio run listener";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(15);

    private int _sessions;

    /// <summary>How many times a connection started listening: 1 after the start, one more after each reconnection.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.RequireConnectionString())
        {
            ApplicationName = ApplicationName,
            // LISTEN belongs to the session: a pooled connection is reset (UNLISTEN) when handed back.
            Pooling = false,
            // Without traffic a dead peer goes unnoticed; a keepalive query finds it within this many seconds.
            KeepAlive = 15,
        }.ConnectionString;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sessionsBefore = Sessions;
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                // A connection that listened for a while is retried at once; one that keeps failing, less and less often.
                retry = Sessions > sessionsBefore ? FirstRetry : retry;
                LogLost(error, retry);
                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) =>
        {
            // Both channels carry an id and nothing else.
            if (RunChanges.RunIdOf(e.Payload) is not { } id)
                return;
            if (e.Channel == RoundChanges.Channel)
                rounds.Publish(id);
            else
                feed.Publish(id);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {RunChanges.Channel}; LISTEN {RoundChanges.Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        var session = Interlocked.Increment(ref _sessions);
        LogListening(session);
        if (session > 1)
        {
            feed.PublishToAll();
            rounds.PublishToAll();
        }
        while (true)
            await connection.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for training run changes (session {Session})")]
    private partial void LogListening(int session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that listens for training run changes; trying again in {Retry}")]
    private partial void LogLost(Exception error, TimeSpan retry);
}
