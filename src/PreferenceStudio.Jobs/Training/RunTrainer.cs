using PreferenceStudio.Training;

namespace PreferenceStudio.Jobs.Training;

/// <summary>
/// One kind of run's model and trainer, made once its pairs are ready: how many steps it will take, the training
/// itself (returning the held-out metrics), and where its trained weights go. Disposing it frees the models.
/// </summary>
public interface IRunTrainer : IDisposable
{
    long TotalSteps { get; }

    IReadOnlyDictionary<string, double> Train(IProgress<TrainingStep> progress, TrainingCheckpoints? checkpoints, CancellationToken cancellationToken);

    /// <summary>Writes the trained model as a Hugging Face folder.</summary>
    void SaveTo(string folder);
}
