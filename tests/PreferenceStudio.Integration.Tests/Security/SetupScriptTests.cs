using System.Diagnostics;

namespace PreferenceStudio.Integration.Tests.Security;

/// <summary>The set-up scripts' PostgreSQL start and stop, run from two checkouts (tests/scripts/postgres-two-checkouts.sh).</summary>
public sealed class SetupScriptTests
{
    [Fact]
    public async Task PrivatePostgres_TestRunInOneCheckoutThenRunInAnother_NeitherBlocksTheOther()
    {
        var script = Path.Combine(RepoRoot(), "tests", "scripts", "postgres-two-checkouts.sh");
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("PS_PG_KEEP");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.ShouldBe(0, await output + await errors);
        (await output).ShouldContain("ok: two checkouts share port");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PreferenceStudio.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("PreferenceStudio.sln not found above the test binaries.");
    }
}
