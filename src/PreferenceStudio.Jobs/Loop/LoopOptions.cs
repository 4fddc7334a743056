namespace PreferenceStudio.Jobs.Loop;

/// <summary>The <c>Loop</c> section of appsettings.json: how a round's stages sample, score and wait, on every project.</summary>
public sealed class LoopOptions
{
    public const string Section = "Loop";

    /// <summary>How often a round waiting for people's labels looks again (each look is a short job, no worker waits).</summary>
    public TimeSpan LabelCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest answer a policy samples, in tokens.</summary>
    public int MaxNewTokens { get; set; } = 48;

    /// <summary>Sampling temperature of the round's K answers and of the evaluation's answers.</summary>
    public double Temperature { get; set; } = 1.0;

    /// <summary>Sequences generated together (prompts × K); one prompt's K answers always go together.</summary>
    public int SampleBatchSize { get; set; } = 32;

    /// <summary>Responses a reward model scores in one forward pass.</summary>
    public int ScoreBatchSize { get; set; } = 32;

    /// <summary>Priority of the pairwise tasks a round gives people: above the project's own, so annotators get them first.</summary>
    public int HumanTaskPriority { get; set; } = 1_000;
}
