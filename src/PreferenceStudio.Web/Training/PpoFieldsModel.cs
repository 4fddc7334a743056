using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Training.Principles;

namespace PreferenceStudio.Web.Training;

/// <summary>A span model's category and what a predicted error of it costs, as a row of the form.</summary>
public sealed class CategoryWeightRow(string category, double weight)
{
    public string Category { get; } = category;
    public double Weight { get; set; } = weight;
}

/// <summary>A principle the principle reward sums over, and its weight, as a row of the form.</summary>
public sealed class PrincipleRow(string text, double weight)
{
    public string Text { get; set; } = text;
    public double Weight { get; set; } = weight;
}

/// <summary>
/// PPO's fields as both the training launch form and the loop settings show them: the reward's sources (scalar, span,
/// principle; each with its weight) and PPO's own settings. Fields the form does not show keep the values of the config
/// it was made from. The rules are <see cref="PpoRunConfig.Validate"/>'s: each message starts with its field's name
/// (after <see cref="Prefix"/>, "ppo." in the loop's messages) and shows at the field of that name.
/// </summary>
public sealed class PpoFieldsModel
{
    private readonly PpoRunConfig _from;

    private PpoFieldsModel(PpoRunConfig from, string prefix, bool roundOwnsScalarModel)
    {
        _from = from;
        Prefix = prefix;
        RoundOwnsScalarModel = roundOwnsScalarModel;
        var (r, t) = (from.Reward, from.Trainer);
        (RewardModelId, RewardModelWeight, SpanModelId, SpanWeight, PrincipleModelId, PrincipleWeight) =
            (r.RewardModelId, r.RewardModelWeight, r.SpanModelId, r.SpanWeight, r.PrincipleModelId, r.PrincipleWeight);
        SegmentLength = r.Segments.SegmentLength;
        CategoryWeights = r.Segments.CategoryWeights.Select(w => new CategoryWeightRow(w.Key, w.Value)).ToList();
        Principles = r.Principles.Select(p => new PrincipleRow(p.Text, p.Weight)).ToList();
        (KlCoef, PpoLearningRate, RolloutBatchSize, MiniBatchSize, PpoEpochs, TotalEpisodes) =
            (t.KlCoef, t.LearningRate, t.BatchSize, t.MiniBatchSize, t.NumPpoEpochs, t.TotalEpisodes);
        (ResponseLength, Temperature, Cliprange, VfCoef) = (t.MaxNewTokens, t.Temperature, t.Cliprange, t.VfCoef);
    }

    /// <summary>The launch form's: a new run's defaults; messages name fields bare ("kl_coef").</summary>
    public static PpoFieldsModel ForLaunch() => new(new PpoRunConfig(), "", roundOwnsScalarModel: false);

    /// <summary>The loop's: its saved PPO config; messages name fields under "ppo."; each round brings its own scalar reward model.</summary>
    public static PpoFieldsModel ForLoop(PpoRunConfig saved) => new(saved, LoopPrefix, roundOwnsScalarModel: true);

    public const string LoopPrefix = "ppo.";

    /// <summary>What the messages of this form put before a field's name.</summary>
    public string Prefix { get; }

    /// <summary>In a loop round the scalar reward model is the round's own, so the form names none (its weight still counts).</summary>
    public bool RoundOwnsScalarModel { get; }

    public int? RewardModelId { get; set; }
    public double RewardModelWeight { get; set; }
    public int? SpanModelId { get; set; }
    public double SpanWeight { get; set; }
    public int? SegmentLength { get; set; }

    /// <summary>One row per category of the chosen span model (see <see cref="TakeCategories"/>).</summary>
    public List<CategoryWeightRow> CategoryWeights { get; private set; }

    public int? PrincipleModelId { get; set; }
    public double PrincipleWeight { get; set; }
    public List<PrincipleRow> Principles { get; private set; }

    public double KlCoef { get; set; }
    public double PpoLearningRate { get; set; }
    public int RolloutBatchSize { get; set; }
    public int MiniBatchSize { get; set; }
    public int PpoEpochs { get; set; }
    public int? TotalEpisodes { get; set; }
    public int ResponseLength { get; set; }
    public double Temperature { get; set; }
    public double Cliprange { get; set; }
    public double VfCoef { get; set; }

    /// <summary>The C# property each field name (without <see cref="Prefix"/>) of the config's messages belongs to.</summary>
    public static readonly IReadOnlyDictionary<string, string> PropertyOfField = new Dictionary<string, string>
    {
        ["reward.reward_model_id"] = nameof(RewardModelId),
        ["reward.reward_model_weight"] = nameof(RewardModelWeight),
        ["reward.span_model_id"] = nameof(SpanModelId),
        ["reward.span_weight"] = nameof(SpanWeight),
        ["reward.segments"] = nameof(SpanModelId),
        ["reward.segments.segment_length"] = nameof(SegmentLength),
        ["reward.principle_model_id"] = nameof(PrincipleModelId),
        ["reward.principle_weight"] = nameof(PrincipleWeight),
        ["reward.principles"] = nameof(PrincipleModelId),
        ["kl_coef"] = nameof(KlCoef),
        ["learning_rate"] = nameof(PpoLearningRate),
        ["batch_size"] = nameof(RolloutBatchSize),
        ["mini_batch_size"] = nameof(MiniBatchSize),
        ["num_ppo_epochs"] = nameof(PpoEpochs),
        ["total_episodes"] = nameof(TotalEpisodes),
        ["response_length"] = nameof(ResponseLength),
        ["temperature"] = nameof(Temperature),
        ["cliprange"] = nameof(Cliprange),
        ["vf_coef"] = nameof(VfCoef),
    };

    /// <summary>The properties a message names (after <paramref name="prefix"/>); "reward:" (no source named) shows at each picker.</summary>
    public static IReadOnlyList<string> PropertiesOf(string message, string prefix)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!message.StartsWith(prefix, StringComparison.Ordinal))
            return [];
        var field = message[prefix.Length..].Split([' ', ':'], 2)[0];
        if (field == "reward")
            return [nameof(RewardModelId), nameof(SpanModelId), nameof(PrincipleModelId)];
        // A row's message: its field shows it (see CategoryProblems and PrincipleProblems), not the form's list of the rest.
        if (field.StartsWith("reward.segments.category_weights", StringComparison.Ordinal))
            return [nameof(CategoryWeights)];
        if (field.StartsWith("reward.principles[", StringComparison.Ordinal))
            return [nameof(Principles)];
        return PropertyOfField.TryGetValue(field, out var property) ? [property] : [];
    }

    /// <summary>The run's config with the form's fields; what the form does not show keeps the values it was made from.</summary>
    public PpoRunConfig ToConfig() => _from with
    {
        Trainer = _from.Trainer with
        {
            KlCoef = KlCoef, LearningRate = PpoLearningRate, BatchSize = RolloutBatchSize, MiniBatchSize = MiniBatchSize, NumPpoEpochs = PpoEpochs,
            TotalEpisodes = TotalEpisodes, MaxNewTokens = ResponseLength, Temperature = Temperature, Cliprange = Cliprange, VfCoef = VfCoef,
        },
        Reward = _from.Reward with
        {
            RewardModelId = RewardModelId, RewardModelWeight = RewardModelWeight,
            SpanModelId = SpanModelId, SpanWeight = SpanWeight,
            Segments = _from.Reward.Segments with
            {
                SegmentLength = SegmentLength,
                // A repeated name (a stored config edited by hand) keeps its last weight, as the JSON reader would.
                CategoryWeights = CategoryWeights.GroupBy(c => c.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Weight, StringComparer.Ordinal),
            },
            PrincipleModelId = PrincipleModelId, PrincipleWeight = PrincipleWeight,
            Principles = Principles.Select(p => new WeightedPrinciple(p.Text, p.Weight)).ToList(),
        },
    };

    /// <summary>What the form needs beyond the config's own rules: a source to learn from (unless the round brings one), each message with its prefix.</summary>
    public IReadOnlyList<string> SourceProblems() =>
        RoundOwnsScalarModel || RewardModelId is not null || SpanModelId is not null || PrincipleModelId is not null
            ? []
            : [Prefix + "reward: name at least one reward source (reward.reward_model_id, reward.span_model_id or reward.principle_model_id)"];

    /// <summary>The reward section's messages about one row: a category's weight, or a principle's text or weight.</summary>
    public IReadOnlyList<string> CategoryProblems(CategoryWeightRow row) =>
        RewardProblems().Where(m => m.StartsWith($"{Prefix}reward.segments.category_weights['{row.Category}']", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<string> PrincipleProblems(PrincipleRow row, string part) =>
        Principles.IndexOf(row) is var i and >= 0
            ? RewardProblems().Where(m => m.StartsWith($"{Prefix}reward.principles[{i}].{part}", StringComparison.Ordinal)).ToList()
            : [];

    private IEnumerable<string> RewardProblems() => ToConfig().Reward.Validate().Select(m => Prefix + m);

    /// <summary>
    /// One row per category of the chosen span model, in its taxonomy's order; a category the rows already weigh keeps
    /// its weight, a new one starts at the config's default weight. Rows of names the model lacks stay, so the run's
    /// check names them rather than the form dropping them silently.
    /// </summary>
    public void TakeCategories(IReadOnlyList<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var known = CategoryWeights.GroupBy(c => c.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Weight, StringComparer.Ordinal);
        var rows = categories.Select(c => new CategoryWeightRow(c, known.GetValueOrDefault(c, _from.Reward.Segments.DefaultWeight))).ToList();
        rows.AddRange(CategoryWeights.Where(c => !categories.Contains(c.Category, StringComparer.Ordinal)));
        CategoryWeights = rows;
    }

    /// <summary>The chosen principle model's principles, each at weight 1, in place of the rows there were.</summary>
    public void TakePrinciples(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        Principles = texts.Select(t => new PrincipleRow(t, 1.0)).ToList();
    }

    public void AddPrinciple() => Principles.Add(new PrincipleRow("", 1.0));

    public void RemovePrinciple(PrincipleRow row) => Principles.Remove(row);
}
