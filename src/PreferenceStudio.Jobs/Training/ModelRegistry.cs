using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Models;
using PreferenceStudio.Models.Checkpoints;

namespace PreferenceStudio.Jobs.Training;

/// <summary>Base models the researchers can train from: Hugging Face checkpoint folders recorded as model versions.</summary>
public sealed class ModelRegistry(PreferenceStudioDbContext db, IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    public const string DemoModelName = "demo: tiny Qwen2 chat policy (2 layers, answers of 1 to 8 generated sentences)";
    private const string DemoModelFolder = "models/demo-chat-qwen2";

    /// <summary>
    /// Records a checkpoint folder (config.json of a supported model_type, model.safetensors or an index, and
    /// tokenizer.json). Returns the problems found, each naming the file; nothing is recorded when there are any.
    /// </summary>
    public async Task<(ModelVersion? Version, IReadOnlyList<string> Errors)> RegisterAsync(string name, string folder, CancellationToken cancellationToken)
    {
        var path = storage.Value.Resolve(environment.ContentRootPath, folder);
        var errors = new List<string>();
        if (!Directory.Exists(path))
            return (null, [$"{path}: no such folder"]);
        try
        {
            var modelType = CheckpointFolder.ReadConfig(path)["model_type"]?.GetValue<string>();
            if (modelType is not ("gpt2" or "llama" or "qwen2" or "mistral"))
                errors.Add($"{path}/config.json: model_type '{modelType}' is not supported (gpt2, llama, qwen2, mistral)");
            CheckpointFolder.WeightFiles(path);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            errors.Add(ex.Message);
        }
        if (!File.Exists(Path.Combine(path, "tokenizer.json")))
            errors.Add($"{path}: no tokenizer.json");
        if (await db.ModelVersions.AnyAsync(m => m.Name == name, cancellationToken))
            errors.Add($"name: a model version is already called '{name}'");
        if (errors.Count > 0)
            return (null, errors);
        var version = new ModelVersion(name, ModelKind.Policy, folder, origin: ModelOrigin.Base);
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        return (version, []);
    }

    /// <summary>
    /// No model can be downloaded on a fresh machine, so the demo makes its own base model once: a tiny Qwen2 chat
    /// policy in the Hugging Face layout (<see cref="DemoPolicy"/>), pretrained here so that its answers spread along
    /// the simulated annotator's taste. Returns false when it is already registered.
    /// </summary>
    public async Task<bool> EnsureDemoBaseModelAsync(CancellationToken cancellationToken)
    {
        if (await db.ModelVersions.AnyAsync(m => m.Name == DemoModelName, cancellationToken))
            return false;
        DemoPolicy.Create(storage.Value.Resolve(environment.ContentRootPath, DemoModelFolder));
        var (_, errors) = await RegisterAsync(DemoModelName, DemoModelFolder, cancellationToken);
        return errors.Count == 0 ? true : throw new InvalidOperationException(string.Join("; ", errors));
    }
}
