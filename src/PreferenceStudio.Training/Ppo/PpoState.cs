using System.Text.Json;

namespace PreferenceStudio.Training.Ppo;

/// <summary>What a PPO run carries from one iteration to the next besides the weights and the optimizer: β of the
/// adaptive KL controller and the running moments of the scores (ppo_state.json).</summary>
public sealed record PpoState(double KlCoef, double ScoreMean, double ScoreSquaredDeviations, long ScoreCount)
{
    public const string FileName = "ppo_state.json";

    public void Save(string folder) => File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this));

    public static PpoState Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{folder} is not a PPO checkpoint: no {FileName}", path);
        return JsonSerializer.Deserialize<PpoState>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
    }
}
