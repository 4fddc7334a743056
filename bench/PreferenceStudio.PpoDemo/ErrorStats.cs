using PreferenceStudio.Annotating.Simulation;

namespace PreferenceStudio.PpoDemo;

/// <summary>A policy's held-out answers counted against the taxonomy: per category, the answers holding at least one
/// error of it; all error words; words.</summary>
internal sealed record ErrorStats(int Answers, IReadOnlyDictionary<string, int> AnswersWith, int ErrorWords, int Words)
{
    public static ErrorStats Of(ErrorTaxonomy taxonomy, IReadOnlyList<string> answers)
    {
        var found = answers.Select(taxonomy.Find).ToList();
        return new ErrorStats(answers.Count,
            taxonomy.CategoryNames.ToDictionary(c => c, c => found.Count(spans => spans.Any(s => s.Category == c))),
            found.Sum(f => f.Count), answers.Sum(a => ErrorTaxonomy.Words(a).Count()));
    }

    public double Rate(string category) => (double)AnswersWith[category] / Answers;

    public double MeanWords => (double)Words / Answers;

    /// <summary>"38.1 % (195/512)".</summary>
    public string Show(string category) => $"{Rate(category):P1} ({AnswersWith[category]}/{Answers})";
}

/// <summary>One arm's round: its held-out error counts, its reward model's held-out quality, the KL to the base
/// (the PPO reference), and its stages' speeds (tokens/s; 0 where the arm has no such stage).</summary>
internal sealed record ArmRound(string Arm, int Round, ErrorStats Errors, string RewardQuality, double Kl,
    double RolloutTokensPerSecond, double TrainingTokensPerSecond);
