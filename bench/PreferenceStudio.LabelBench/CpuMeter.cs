using System.Diagnostics;

namespace PreferenceStudio.LabelBench;

/// <summary>
/// Where a bench's CPU went: this process's own time, and the rest of the machine's busy time (PostgreSQL, on this
/// machine, when nothing else runs), from /proc/stat. Read at the start and the end of the measured part.
/// </summary>
internal sealed class CpuMeter
{
    private readonly TimeSpan _ownAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan _machineAtStart = MachineBusy();

    /// <summary>CPU seconds this process and the rest of the machine spent since the meter was made.</summary>
    public (double Own, double Others) Elapsed()
    {
        var own = (Process.GetCurrentProcess().TotalProcessorTime - _ownAtStart).TotalSeconds;
        var machine = (MachineBusy() - _machineAtStart).TotalSeconds;
        return (own, Math.Max(0, machine - own));
    }

    // user + nice + system + irq + softirq, in clock ticks of 1/100 s.
    private static TimeSpan MachineBusy()
    {
        if (!File.Exists("/proc/stat"))
            return TimeSpan.Zero;
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = new[] { 1, 2, 3, 6, 7 }.Sum(i => long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture));
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
