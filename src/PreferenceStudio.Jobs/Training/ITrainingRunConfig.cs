namespace PreferenceStudio.Jobs.Training;

/// <summary>What every kind of run's stored config says besides its trainer's own fields.</summary>
public interface ITrainingRunConfig
{
    /// <summary>Share of the pairs held out for evaluation (chosen by the seed), so runs are measured on unseen pairs.</summary>
    double EvalShare { get; }

    /// <summary>A resumable checkpoint every this many steps (0: none).</summary>
    int SaveSteps { get; }

    /// <summary>Seeds the split, the order of the pairs and the initialisation.</summary>
    ulong Seed { get; }

    IReadOnlyList<string> Validate();

    string ToJson();
}
