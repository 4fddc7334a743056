namespace PreferenceStudio.Torch;

/// <summary>Device kinds; the values are libtorch's c10::DeviceType codes.</summary>
public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
}

/// <summary>Where a tensor lives. Index -1 means the current device of that kind.</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>"cpu", "cuda", "cuda:1" (PyTorch's spelling).</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().ToLowerInvariant().Split(':');
        var type = parts[0] switch
        {
            "cpu" => DeviceType.Cpu,
            "cuda" => DeviceType.Cuda,
            _ => throw new ArgumentException($"unknown device '{text}' (expected cpu, cuda or cuda:N)", nameof(text)),
        };
        var index = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : -1;
        return new Device(type, index);
    }

    public override string ToString() =>
        (Type == DeviceType.Cpu ? "cpu" : "cuda") + (Index >= 0 ? $":{Index}" : "");
}
