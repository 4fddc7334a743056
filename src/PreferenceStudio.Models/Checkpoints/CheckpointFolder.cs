using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace PreferenceStudio.Models.Checkpoints;

/// <summary>
/// A Hugging Face model folder: config.json plus model.safetensors, or shards listed in
/// model.safetensors.index.json ({"metadata": {"total_size": n}, "weight_map": {name: shard file}}).
/// </summary>
public static class CheckpointFolder
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";
    public const string ConfigFile = "config.json";

    public static JsonObject ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"no {ConfigFile} in {folder}", path);
        return JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path} is empty");
    }

    /// <summary>The safetensors files of the folder, single or sharded.</summary>
    public static IReadOnlyList<string> WeightFiles(string folder)
    {
        var index = Path.Combine(folder, IndexFile);
        if (File.Exists(index))
        {
            var map = JsonNode.Parse(File.ReadAllText(index))!["weight_map"]!.AsObject();
            return map.Select(kv => kv.Value!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal)
                .Select(f => Path.Combine(folder, f)).ToList();
        }
        var single = Path.Combine(folder, SingleFile);
        if (File.Exists(single)) return [single];
        throw new FileNotFoundException($"no {SingleFile} or {IndexFile} in {folder}");
    }

    /// <summary>All tensors of the folder. The caller owns (disposes) them.</summary>
    public static Dictionary<string, Tensor> LoadTensors(string folder, Device? device = null, ScalarType? dtype = null)
    {
        var all = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var file in WeightFiles(folder))
            foreach (var (name, t) in SafeTensors.Load(file, device, dtype))
                all[name] = t;
        return all;
    }

    /// <summary>
    /// Writes tensors as model.safetensors, or, past <paramref name="maxShardBytes"/>, as
    /// model-00001-of-0000N.safetensors shards plus the index, as save_pretrained does.
    /// </summary>
    public static void SaveTensors(string folder, IReadOnlyDictionary<string, Tensor> tensors, long maxShardBytes = 5L << 30)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Directory.CreateDirectory(folder);
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        var shards = new List<Dictionary<string, Tensor>> { new(StringComparer.Ordinal) };
        long current = 0, total = 0;
        foreach (var name in tensors.Keys.Order(StringComparer.Ordinal))
        {
            var t = tensors[name];
            var size = t.numel() * SafeTensors.ElementSize(t.dtype);
            if (current > 0 && current + size > maxShardBytes)
            {
                shards.Add(new Dictionary<string, Tensor>(StringComparer.Ordinal));
                current = 0;
            }
            shards[^1][name] = t;
            current += size;
            total += size;
        }
        if (shards.Count == 1)
        {
            SafeTensors.Save(Path.Combine(folder, SingleFile), shards[0], metadata);
            return;
        }
        var weightMap = new JsonObject();
        for (var i = 0; i < shards.Count; i++)
        {
            var file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafeTensors.Save(Path.Combine(folder, file), shards[i], metadata);
            foreach (var name in shards[i].Keys) weightMap[name] = file;
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total }, ["weight_map"] = weightMap };
        File.WriteAllText(Path.Combine(folder, IndexFile), index.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
