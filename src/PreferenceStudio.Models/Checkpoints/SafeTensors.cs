using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Checkpoints;

/// <summary>Where one tensor lies in a safetensors file.</summary>
public sealed record SafeTensorInfo(string Name, ScalarType DType, long[] Shape, long Begin, long End);

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header mapping names to
/// dtype, shape and [begin, end) byte offsets into the data section, then the raw row-major little-endian data.
/// Written with the "format": "pt" metadata that transformers' loader checks for.
/// </summary>
public static class SafeTensors
{
    private static readonly Dictionary<string, ScalarType> DTypes = new(StringComparer.Ordinal)
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    private static string Code(ScalarType t) =>
        DTypes.FirstOrDefault(kv => kv.Value == t).Key ?? throw new NotSupportedException($"safetensors has no code for {t}");

    /// <summary>The header: tensor locations (relative to the data section) and the data section's start.</summary>
    public static (IReadOnlyList<SafeTensorInfo> Tensors, long DataStart, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        var length = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (length <= 0 || length > 100_000_000 || length > file.Length - 8)
            throw new InvalidDataException($"{path}: not a safetensors file (header length {length})");
        var json = new byte[length];
        file.ReadExactly(json);
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException($"{path}: empty safetensors header");
        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in root)
        {
            if (name == "__metadata__")
            {
                foreach (var (k, v) in node!.AsObject()) metadata[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            var dtypeCode = node!["dtype"]!.GetValue<string>();
            if (!DTypes.TryGetValue(dtypeCode, out var dtype))
                throw new InvalidDataException($"{path}: tensor '{name}' has unsupported dtype {dtypeCode}");
            var shape = node["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
            var expected = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
            if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataEnd(offsets) > file.Length - 8 - length)
                throw new InvalidDataException($"{path}: tensor '{name}' offsets do not match its shape and dtype or the file's size");
            tensors.Add(new SafeTensorInfo(name, dtype, shape, offsets[0], offsets[1]));
        }
        return (tensors, 8 + length, metadata);

        static long dataEnd(long[] offsets) => offsets.Length == 2 ? offsets[1] : 0;
    }

    /// <summary>Reads every tensor (or those <paramref name="select"/> keeps) onto a device, optionally casting
    /// floating-point tensors to <paramref name="dtype"/>. The caller owns the tensors (they are in no dispose scope).</summary>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null, ScalarType? dtype = null, Func<string, bool>? select = null)
    {
        var (infos, dataStart, _) = ReadHeader(path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var file = File.OpenRead(path);
        foreach (var info in infos)
        {
            if (select is not null && !select(info.Name)) continue;
            var bytes = new byte[info.End - info.Begin];
            file.Position = dataStart + info.Begin;
            file.ReadExactly(bytes);
            using var scope = NewDisposeScope();
            var tensor = empty(info.Shape, info.DType, CPU);
            tensor.bytes = bytes;
            if (dtype is { } want && is_floating_point(tensor) && info.DType != want) tensor = tensor.to(want);
            if (device is not null && device.type != TorchSharp.DeviceType.CPU) tensor = tensor.to(device);
            result[info.Name] = tensor.DetachFromDisposeScope();
        }
        return result;
    }

    /// <summary>Writes tensors (sorted by name, as the reference writer does) with optional string metadata.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var offset = 0L;
        foreach (var name in names)
        {
            var t = tensors[name];
            var size = t.numel() * ElementSize(t.dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = Code(t.dtype),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;  // the data section starts 8-byte aligned; pad with spaces
        using var file = File.Create(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(lengthBytes, padded);
        file.Write(lengthBytes);
        file.Write(json);
        for (var i = json.Length; i < padded; i++) file.WriteByte((byte)' ');
        foreach (var name in names)
        {
            using var scope = NewDisposeScope();
            file.Write(tensors[name].detach().cpu().contiguous().bytes);
        }
    }

    public static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"no safetensors element size for {dtype}"),
    };
}
