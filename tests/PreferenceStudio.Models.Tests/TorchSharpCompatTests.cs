using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Tests;

/// <summary>
/// TorchSharp's native library loads on this machine, and scripts/torchsharp-compat.sh (docs/torch.md) patches it
/// exactly where the system libstdc++ lacks GLIBCXX_3.4.32, once, and leaves it untouched elsewhere.
/// </summary>
public sealed class TorchSharpCompatTests : IDisposable
{
    private static readonly string RepoRoot = Metadata("RepoRoot");
    private static readonly string Script = Path.Combine(RepoRoot, "scripts", "torchsharp-compat.sh");
    private readonly string folder = Directory.CreateTempSubdirectory("ps-compat-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void LibTorchSharp_loads_and_runs_matmul_autograd_and_scaled_dot_product_attention()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1f, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = tensor(new[] { 1f, 0, 0, 1, 1, 1 }, [3, 2], requires_grad: true);
        a.matmul(b).data<float>().ToArray().ShouldBe([4f, 5, 10, 11]);
        a.matmul(b).sum().backward();
        b.grad!.data<float>().ToArray().ShouldBe([5f, 5, 7, 7, 9, 9]);  // column sums of a, once per output column

        var q = randn(1, 2, 4, 8);
        var sdpa = nn.functional.scaled_dot_product_attention(q, q, q, is_casual: true);
        var causal = ones(4, 4, ScalarType.Bool).tril();
        var written = (q.matmul(q.transpose(-2, -1)) / Math.Sqrt(8)).masked_fill(causal.logical_not(), double.NegativeInfinity).softmax(-1).matmul(q);
        sdpa.allclose(written, 1e-5, 1e-6).ShouldBeTrue();
    }

    [Fact]
    public void Compat_step_patches_a_fresh_library_where_needed_and_a_second_run_changes_nothing()
    {
        var lib = FreshLibrary();
        var needed = Run(Script, "--needed").ExitCode == 0;
        var system = Environment.GetEnvironmentVariable("PS_LIBSTDCXX") ?? LoaderLibstdcxx();
        needed.ShouldBe(!File.ReadAllText(system, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32", StringComparison.Ordinal));
        var pristine = Hash(lib);

        Run(Script, folder).ExitCode.ShouldBe(0);
        var once = Hash(lib);
        Run(Script, folder).ExitCode.ShouldBe(0);

        Hash(lib).ShouldBe(once);
        if (needed)
        {
            once.ShouldNotBe(pristine);
            Run("readelf", "-d", lib).Output.ShouldContain("[libps_iosinit.so]");
            Run("readelf", "-V", lib).Output.ShouldContain("Name: GLIBCXX_3.4.32  Flags: WEAK");
            File.Exists(Path.Combine(folder, "libps_iosinit.so")).ShouldBeTrue();
        }
        else
        {
            once.ShouldBe(pristine);
        }
    }

    [Fact]
    public void Compat_step_leaves_everything_untouched_where_libstdcxx_is_new_enough()
    {
        var lib = FreshLibrary();
        var pristine = Hash(lib);
        var newEnough = Path.Combine(folder, "libstdc++.so.6");
        File.WriteAllText(newEnough, "GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0");  // what the script looks for, as GCC 13's has it

        Run(Script, ["--needed"], newEnough).ExitCode.ShouldBe(1);
        Run(Script, [folder], newEnough).ExitCode.ShouldBe(0);

        Hash(lib).ShouldBe(pristine);
        Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["libLibTorchSharp.so", "libstdc++.so.6"]);
    }

    // The library as NuGet restored it, before the build's copy was patched.
    private string FreshLibrary()
    {
        var version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var restored = Path.Combine(Metadata("NuGetPackageRoot"), "torchsharp", version, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var lib = Path.Combine(folder, "libLibTorchSharp.so");
        File.Copy(restored, lib);
        return lib;
    }

    private static string LoaderLibstdcxx() =>
        Run(File.Exists("/sbin/ldconfig") ? "/sbin/ldconfig" : "ldconfig", "-p").Output.Split('\n').First(l => l.Contains("libstdc++.so.6 ", StringComparison.Ordinal) && l.Contains("x86-64", StringComparison.Ordinal))
            .Split("=> ")[1].Trim();

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static string Metadata(string key) =>
        typeof(TorchSharpCompatTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static (int ExitCode, string Output) Run(string file, params string[] args) => Run(file, args, libstdcxx: null);

    private static (int ExitCode, string Output) Run(string file, string[] args, string? libstdcxx)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (libstdcxx is not null) start.Environment["PS_LIBSTDCXX"] = libstdcxx;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
