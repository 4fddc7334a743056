using TorchSharp;
using static TorchSharp.torch;

namespace PreferenceStudio.Models;

/// <summary>The "Torch" configuration section: where models and every tensor they make live.</summary>
public sealed record TorchOptions
{
    public const string Section = "Torch";

    /// <summary>"auto" (cuda when libtorch sees a GPU, else cpu), "cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>libtorch's intra-op threads; 0 keeps its default (one per core). On a node shared with other work, 1
    /// avoids OpenMP threads spin-waiting for each other (docs/torch.md, Speed).</summary>
    public int Threads { get; init; }

    public torch.Device ResolveDevice() => TorchDevices.Resolve(Device);

    /// <summary>Sets the intra-op thread count process-wide, when <see cref="Threads"/> asks for one.</summary>
    public void ApplyThreads()
    {
        if (Threads < 0) throw new ArgumentException($"Torch:Threads must be 0 (libtorch's default) or more, got {Threads}");
        if (Threads > 0) set_num_threads(Threads);
    }
}

public static class TorchDevices
{
    /// <summary>The device "auto" picks on this machine.</summary>
    public static Device Default => Resolve("auto");

    /// <summary>Parses a device setting; asking for CUDA where libtorch has none is an error that says so.</summary>
    public static Device Resolve(string? setting)
    {
        var text = string.IsNullOrWhiteSpace(setting) ? "auto" : setting.Trim().ToLowerInvariant();
        if (text == "auto") return cuda.is_available() ? CUDA : CPU;
        if (text != "cpu" && !text.StartsWith("cuda", StringComparison.Ordinal))
            throw new ArgumentException($"Torch:Device '{setting}' is not a device (auto, cpu, cuda, cuda:N)", nameof(setting));
        if (text != "cpu" && !cuda.is_available())
            throw new InvalidOperationException(
                $"Torch:Device is '{setting}' but libtorch sees no CUDA device (no GPU, or a TorchSharp-cpu build: docs/torch.md, GPU node)");
        return device(text);
    }
}
