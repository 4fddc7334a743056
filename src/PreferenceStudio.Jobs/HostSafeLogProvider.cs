using Hangfire.Logging;

namespace PreferenceStudio.Jobs;

/// <summary>
/// Hangfire keeps one log provider for the whole process, made over the logger factory of the host that configured it
/// last. When that host is disposed while another keeps running (a test process runs many hosts, one after another),
/// Hangfire would throw ObjectDisposedException from the survivor's requests; this provider logs nothing instead.
/// </summary>
internal sealed class HostSafeLogProvider(ILogProvider inner) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new HostSafeLog(inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new HostSafeLog(null);
        }
    }

    private sealed class HostSafeLog(ILog? inner) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
