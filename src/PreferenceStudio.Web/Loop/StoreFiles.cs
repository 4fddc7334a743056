using Microsoft.Extensions.Options;
using PreferenceStudio.Jobs;
using PreferenceStudio.Jobs.Loop;

namespace PreferenceStudio.Web.Loop;

/// <summary>Absolute paths of a round's files and a model's checkpoint folder in the model store (a shared volume with several nodes).</summary>
public sealed class StoreFiles(IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    /// <summary>The round's DPO pairs as its pairs stage writes them (TRL preference JSON Lines, each row with its "source").</summary>
    public string PairsFile(long roundId) => storage.Value.Resolve(environment.ContentRootPath, RoundFiles.Pairs(roundId));

    public bool HasPairs(long roundId) => File.Exists(PairsFile(roundId));

    /// <summary>A model version's checkpoint folder, from the path it records relative to the store.</summary>
    public string ModelFolder(string checkpointPath) => storage.Value.Resolve(environment.ContentRootPath, checkpointPath);
}
