namespace PreferenceStudio.Core.Projects;

/// <summary>A labelling project: what is asked of annotators, and how tasks are handed out.</summary>
public sealed class Project
{
    public const int MaxOverlap = 16;

    private readonly List<Principle> _principles = [];
    private readonly List<SpanLabel> _spanLabels = [];

    private Project() { }

    public Project(string name, string slug, FeedbackKinds kinds)
    {
        Rename(name);
        Slug = ValidSlug(slug);
        ChangeKinds(kinds);
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public string GuidelinesMarkdown { get; private set; } = "";
    public FeedbackKinds Kinds { get; private set; }

    /// <summary>How many distinct annotators label each task (k).</summary>
    public int Overlap { get; private set; } = 1;

    /// <summary>How long an annotator holds a task before it returns to the pool.</summary>
    public TimeSpan LeaseDuration { get; private set; } = TimeSpan.FromMinutes(30);

    /// <summary>Share of handed-out tasks that are gold (known-answer) tasks, 0..1.</summary>
    public double GoldRate { get; private set; }

    public bool AllowRankingTies { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Cron expression (UTC) on which a reward model is retrained on the project's labels; null when none.</summary>
    public string? RetrainCron { get; private set; }

    /// <summary>The model version scheduled retraining starts from.</summary>
    public int? RetrainBaseModelId { get; private set; }

    public IReadOnlyList<Principle> Principles => _principles;
    public IReadOnlyList<SpanLabel> SpanLabels => _spanLabels;

    public void Rename(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
            throw new DomainException("A project name must have 1 to 200 characters.");
        Name = name.Trim();
    }

    public void ChangeKinds(FeedbackKinds kinds)
    {
        if (kinds == FeedbackKinds.None)
            throw new DomainException("A project must collect at least one kind of feedback.");
        Kinds = kinds;
    }

    /// <summary>Retrain on this cron from this base model; the cron's syntax is the job system's to check.</summary>
    public void ScheduleRetraining(string cron, int baseModelVersionId)
    {
        if (string.IsNullOrWhiteSpace(cron))
            throw new DomainException("A retrain schedule needs a cron expression.");
        if (cron.Length > MaxCronLength)
            throw new DomainException($"A cron expression has at most {MaxCronLength} characters.");
        RetrainCron = cron.Trim();
        RetrainBaseModelId = baseModelVersionId;
    }

    public void StopRetraining()
    {
        RetrainCron = null;
        RetrainBaseModelId = null;
    }

    public const int MaxCronLength = 100;

    public void WriteGuidelines(string markdown) => GuidelinesMarkdown = markdown ?? "";

    public void ConfigureAssignment(int overlap, TimeSpan lease, double goldRate, bool allowRankingTies = false)
    {
        if (overlap is < 1 or > MaxOverlap)
            throw new DomainException($"Overlap must be between 1 and {MaxOverlap}, got {overlap}.");
        if (lease < TimeSpan.FromMinutes(1) || lease > TimeSpan.FromDays(1))
            throw new DomainException($"Lease must be between 1 minute and 1 day, got {lease}.");
        if (goldRate is < 0 or > 1 || double.IsNaN(goldRate))
            throw new DomainException($"Gold rate must be between 0 and 1, got {goldRate}.");
        Overlap = overlap;
        LeaseDuration = lease;
        GoldRate = goldRate;
        AllowRankingTies = allowRankingTies;
    }

    public Principle AddPrinciple(string key, string text)
    {
        if (_principles.Any(p => p.Key == key))
            throw new DomainException($"The project already has a principle '{key}'.");
        var principle = new Principle(key, text, _principles.Count);
        _principles.Add(principle);
        return principle;
    }

    public SpanLabel AddSpanLabel(string key, string name, string description, bool usesSeverity = true)
    {
        if (_spanLabels.Any(l => l.Key == key))
            throw new DomainException($"The project already has a span label '{key}'.");
        var label = new SpanLabel(key, name, description, usesSeverity, _spanLabels.Count);
        _spanLabels.Add(label);
        return label;
    }

    public bool Collects(TaskKind kind) => Kinds.HasFlag((FeedbackKinds)kind);

    private static string ValidSlug(string slug)
    {
        if (string.IsNullOrEmpty(slug) || slug.Length > 64 || !slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            throw new DomainException($"A project slug must be 1 to 64 characters of a-z, 0-9 and '-', got '{slug}'.");
        return slug;
    }
}
