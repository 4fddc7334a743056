using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PreferenceStudio.Testing.Http;

/// <summary>
/// The built web app (`dotnet PreferenceStudio.Web.dll`) as a child process on a fixed local port, so a test can kill
/// it the way a machine dies (SIGKILL: no shutdown, no flush, open transactions cut) and start it again at the same
/// address, where the clients' cookies still work (the data-protection keys live in the database).
/// </summary>
public sealed class WebProcess : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _dll;
    private readonly HttpClient _probe;
    private Process? _process;

    public WebProcess(string connectionString, string configuration)
    {
        _connectionString = connectionString;
        _dll = Path.Combine(RepoRoot, "src", "PreferenceStudio.Web", "bin", configuration, "net10.0", "PreferenceStudio.Web.dll");
        if (!File.Exists(_dll))
            throw new FileNotFoundException($"The web app is not built at {_dll}: build the solution in {configuration} first.");
        Port = FreePort();
        _probe = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>How many times the process was started, and the time each start took until it answered.</summary>
    public List<TimeSpan> Starts { get; } = [];

    /// <summary>The configuration a build folder holds, read from where the calling binaries were built.</summary>
    public static string ConfigurationOf(string baseDirectory) =>
        baseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PreferenceStudio.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("PreferenceStudio.sln not found above the running binaries.");
        }
    }

    /// <summary>
    /// Starts the app and waits until its health check answers 200 (the database reachable). Patient by default: a
    /// start took 19 s on the shared 2-core machine under a load average of 49.
    /// </summary>
    public async Task StartAsync(TimeSpan? patience = null)
    {
        var wait = patience ?? TimeSpan.FromSeconds(120);
        if (_process is { HasExited: false })
            throw new InvalidOperationException($"The web process {_process.Id} is still running; kill it first.");
        var clock = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet", [_dll])
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = BaseUrl,
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ConnectionStrings__Default"] = _connectionString,
                ["Jobs__Execute"] = "false",
                // Every simulated annotator signs in from 127.0.0.1: the per-address throttle is for strangers.
                ["SignIn__PerAddressPerMinute"] = "100000",
                // A log line per request would be measured along with the requests.
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"dotnet {_dll} did not start.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The web process exited with {process.ExitCode} while starting:\n{string.Join('\n', output)}");
            try
            {
                using var health = await _probe.GetAsync("/healthz");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    Starts.Add(clock.Elapsed);
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The web process did not answer /healthz within {wait}:\n{string.Join('\n', output)}");
    }

    /// <summary>kill -9: the process ends at once, whatever it was doing.</summary>
    public void Kill()
    {
        if (_process is not { } process)
            return;
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _probe.Dispose();
        return ValueTask.CompletedTask;
    }

    // The last lines only: they say why a start failed; a run's worth would be memory for nothing.
    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
            return;
        lines.Enqueue(line);
        while (lines.Count > 200)
            lines.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
