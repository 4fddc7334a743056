namespace PreferenceStudio.Jobs;

/// <summary>
/// Where files live: exports, training runs' dataset snapshots, model checkpoints (models/). With several nodes this is a shared volume, so that a
/// file a worker writes can be downloaded through any web node.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Relative paths are taken from the content root (the repository root under ./run).</summary>
    public string Root { get; set; } = ".data/store";

    public string ExportsFolder(string contentRoot) => Path.Combine(Path.GetFullPath(Root, contentRoot), "exports");

    /// <summary>A path under the store (as model versions record their checkpoint folders) made absolute.</summary>
    public string Resolve(string contentRoot, string relative) => Path.GetFullPath(relative, Path.GetFullPath(Root, contentRoot));
}
