using PreferenceStudio.Torch.NN;

namespace PreferenceStudio.Models;

/// <summary>Children named "0", "1", ... so checkpoint keys read "h.3.attn..." as in PyTorch's nn.ModuleList.</summary>
public sealed class ModuleList<T> : Module where T : Module
{
    private readonly List<T> items = [];

    public ModuleList(IEnumerable<T> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) items.Add(RegisterModule(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m));
    }

    public int Count => items.Count;

    public T this[int index] => items[index];

    public IReadOnlyList<T> Items => items;
}
