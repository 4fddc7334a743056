namespace PreferenceStudio.Annotating.Simulation;

/// <summary>
/// The PPO demo's simulated annotator, in one place: the errors the error demo policy (Models.ErrorDemoPolicy) was
/// taught to make sometimes, in categories as Fine-Grained RLHF separates them: made-up facts (a sentence whose
/// object is something its subject cannot act on: "The cat reads the moon.") and filler (a word that adds nothing:
/// "Basically the cat reads the book."), and the repetition a policy can fall into. The annotator marks their spans, judges a principle per category, and
/// prefers the response with fewer errors, each with its noise.
/// </summary>
public static class DemoErrors
{
    public const string MadeUpFact = "made_up_fact";
    public const string Filler = "filler";
    public const string Repetition = "repetition";

    /// <summary>The nouns of made-up facts: the policy's corpus puts them where a sentence's object goes.</summary>
    public static IReadOnlyList<string> MadeUpFactWords { get; } = ["moon", "dragon", "volcano", "unicorn"];

    /// <summary>The filler words: the corpus puts one at the start of a sentence.</summary>
    public static IReadOnlyList<string> FillerWords { get; } = ["basically", "honestly", "anyway", "literally"];

    /// <summary>Made-up facts, filler, and repetition: a word repeating the one before it. The base policy hardly ever
    /// stutters, but a policy pushed by a reward that does not see stutter can fall into it ("The The The cat sees a
    /// letter." in a first run of the PPO demo without this category), so the annotator marks it too.</summary>
    public static ErrorTaxonomy Taxonomy { get; } =
        new([new(MadeUpFact, MadeUpFactWords), new(Filler, FillerWords), new(Repetition, [], Repeats: true)]);

    public static IReadOnlyList<ErrorPrinciple> Principles { get; } =
    [
        new("The response states no made-up facts.", MadeUpFact), new("The response has no filler words.", Filler),
        new("The response does not repeat itself.", Repetition),
    ];

    /// <summary>Share of error words the span marker misses.</summary>
    public const double MissRate = 0.1;

    /// <summary>Share of correct words the span marker marks anyway: one false mark in about thirteen answers of 15 words.</summary>
    public const double FalseMarkRate = 0.005;

    /// <summary>Share of principle verdicts flipped.</summary>
    public const double PrincipleFlipRate = 0.1;

    /// <summary>Bradley–Terry temperature of the overall judgement: one error fewer wins 88 % of the time.</summary>
    public const double Temperature = 0.5;

    public static SimulatedSpanMarker SpanMarker(int seed) => new(Taxonomy, MissRate, FalseMarkRate, seed);

    public static SimulatedPrincipleJudge PrincipleJudge(int seed) => new(Taxonomy, PrincipleFlipRate, seed);

    /// <summary>The error demo policy's answers hold three sentences; a shorter one leaves out what the others say.</summary>
    public const int ExpectedSentences = 3;

    /// <summary>The overall pairwise judge: fewer errors is better, and each sentence short of three counts as one.</summary>
    public static BradleyTerryJudge Judge(int seed) =>
        new(new ErrorCountPreference(Taxonomy, expectedSentences: ExpectedSentences), Temperature, seed);
}
