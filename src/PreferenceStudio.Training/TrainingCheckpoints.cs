namespace PreferenceStudio.Training;

/// <summary>
/// Where and how often a trainer writes resumable checkpoints, as Hugging Face's Trainer does (output_dir,
/// save_steps, save_total_limit, resume_from_checkpoint): Folder/checkpoint-{step}, each a loadable model plus the
/// optimizer, the step, the metrics so far and the random generator's state.
/// </summary>
public sealed record TrainingCheckpoints(string Folder, int SaveSteps, int SaveTotalLimit = 2, string? ResumeFrom = null)
{
    public const string Prefix = "checkpoint-";

    /// <summary>The newest checkpoint-{step} folder under <paramref name="folder"/> that is complete, or null.</summary>
    public static string? Latest(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder, Prefix + "*")
                .Where(d => File.Exists(Path.Combine(d, TrainerCheckpoint.StateFile)))
                .Select(d => (Dir: d, Step: StepOf(d)))
                .Where(x => x.Step >= 0).OrderByDescending(x => x.Step).Select(x => x.Dir).FirstOrDefault()
            : null;

    /// <summary>Writes Folder/checkpoint-{step} with <paramref name="write"/>, then removes all but the newest
    /// SaveTotalLimit checkpoints.</summary>
    public void Save(long step, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        write(Path.Combine(Folder, Prefix + step));
        var old = Directory.EnumerateDirectories(Folder, Prefix + "*")
            .Select(d => (Dir: d, Step: StepOf(d)))
            .Where(x => x.Step >= 0).OrderByDescending(x => x.Step).Skip(SaveTotalLimit);
        foreach (var (dir, _) in old) Directory.Delete(dir, recursive: true);
    }

    /// <summary>The global step a checkpoint-{step} folder was written after, or -1 for a folder of another name.</summary>
    public static long StepOf(string checkpointFolder)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(checkpointFolder));
        return name.StartsWith(Prefix, StringComparison.Ordinal) && long.TryParse(name.AsSpan(Prefix.Length), out var step) ? step : -1;
    }
}
