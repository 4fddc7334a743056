using Microsoft.Extensions.Options;
using PreferenceStudio.Jobs;
using PreferenceStudio.Training;

namespace PreferenceStudio.Web.Training;

/// <summary>A resumable checkpoint of a run: the step it was written after and its folder under the store.</summary>
public sealed record RunCheckpoint(long Step, string Folder);

/// <summary>
/// The complete checkpoints a run has now, read from the model store (a shared volume when there are several nodes):
/// the worker writes one every save_steps steps, keeps the last two and removes them when the run ends.
/// </summary>
public sealed class RunCheckpoints(IOptions<StorageOptions> storage, IHostEnvironment environment)
{
    public IReadOnlyList<RunCheckpoint> Of(long runId)
    {
        var relative = $"runs/{runId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/checkpoints";
        var folder = storage.Value.Resolve(environment.ContentRootPath, relative);
        try
        {
            return Directory.EnumerateDirectories(folder, TrainingCheckpoints.Prefix + "*")
                .Where(d => File.Exists(Path.Combine(d, RewardCheckpoint.StateFile)))
                .Select(d => new RunCheckpoint(TrainingCheckpoints.StepOf(d), $"{relative}/{Path.GetFileName(d)}"))
                .Where(c => c.Step >= 0)
                .OrderBy(c => c.Step)
                .ToList();
        }
        catch (DirectoryNotFoundException)
        {
            // Never made, or removed by the worker as the run ended while this page read it: no checkpoints either way.
            return [];
        }
    }
}
