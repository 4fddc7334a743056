using System.Net.Sockets;
using Npgsql;

namespace PreferenceStudio.Jobs;

/// <summary>Failures that may pass if the job simply runs again: the database was unreachable, restarting, or chose this transaction as a deadlock victim.</summary>
public static class TransientErrors
{
    public static bool IsTransient(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or TimeoutException or SocketException)
                return true;
        }
        return false;
    }
}

/// <summary>
/// The one exception Hangfire's automatic retry is allowed to act on (see <see cref="JobBase"/>): a deterministic failure
/// (a project with no pairs, a bad config) would fail the same way again, so it is never retried.
/// </summary>
public sealed class TransientJobException(string message, Exception inner) : Exception(message, inner);
