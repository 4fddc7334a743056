namespace PreferenceStudio.Training;

/// <summary>What a trainer's config offers the run around it: its own checks (messages naming TRL fields) and its seed.</summary>
public interface ITrainerConfig
{
    ulong Seed { get; }

    IReadOnlyList<string> Validate();
}
