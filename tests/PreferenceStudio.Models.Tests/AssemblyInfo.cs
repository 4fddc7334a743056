using System.Runtime.CompilerServices;

// The live-tensor counters are per thread and libtorch already uses every core: run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PreferenceStudio.Models.Tests;

internal static class TorchThreads
{
    // ./test runs the test projects side by side on a small machine. libtorch's OpenMP threads spin-wait for each
    // other there: 150 steps of a tiny GPT-2 took 24.7 s on 2 threads and 2.0 s on 1 (load average 12, 2 cores).
    [ModuleInitializer]
    internal static void OneIntraOpThread() => TorchSharp.torch.set_num_threads(1);
}
