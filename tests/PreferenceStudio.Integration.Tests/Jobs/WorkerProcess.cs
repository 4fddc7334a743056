using System.Diagnostics;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>The real worker executable in a process of its own, so a test can kill it the way a machine dies.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public static WorkerProcess Start(string connectionString, string? storageRoot = null, string? queues = null, TimeSpan? invisibility = null)
    {
        var root = RepoRoot();
        var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(root, "src", "PreferenceStudio.Worker", "bin", configuration, "net10.0", "PreferenceStudio.Worker.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"The worker is not built at {dll}: build the solution (./test does) before running this test.");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Default"] = connectionString,
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["Storage__Root"] = storageRoot ?? Path.Combine(Path.GetTempPath(), "ps-test-store"),
            },
        };
        foreach (var (key, value) in WorkerNode.TestSettings(queues, invisibility))
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process);
    }

    /// <summary>No shutdown, no clean-up: the node just stops, as when its machine loses power.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PreferenceStudio.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("PreferenceStudio.sln not found above the test binaries.");
    }
}
