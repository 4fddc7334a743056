using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Annotations;

/// <summary>Where one response landed in a ranking; rank 1 is best, equal ranks are ties.</summary>
public sealed record RankingEntry(int ResponseId, int Rank);

public sealed class RankingAnnotation : Annotation
{
    private readonly List<RankingEntry> _entries = [];

    private RankingAnnotation() { }

    public RankingAnnotation(AnnotationContext context, IReadOnlyList<RankingEntry> entries, bool tiesAllowed)
        : base(TaskKind.Ranking, context)
    {
        if (entries.Select(e => e.ResponseId).Distinct().Count() != entries.Count)
            throw new DomainException("A ranking lists each response once.");
        var ranks = entries.Select(e => e.Rank).Order().ToList();
        if (ranks.Count == 0 || ranks[0] != 1 || ranks.Any(r => r < 1 || r > entries.Count))
            throw new DomainException("Ranks run from 1 (best) to the number of responses.");
        if (!tiesAllowed && ranks.Distinct().Count() != ranks.Count)
            throw new DomainException("This project does not allow ties in a ranking.");
        _entries.AddRange(entries);
    }

    public IReadOnlyList<RankingEntry> Entries => _entries;
}
