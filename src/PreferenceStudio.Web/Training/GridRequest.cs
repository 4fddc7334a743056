namespace PreferenceStudio.Web.Training;

/// <summary>One page of a server-side grid as asked: zero-based page, its size, the column to sort by and a search text.</summary>
public sealed record GridRequest(int Page, int PageSize, string? SortBy = null, bool Descending = false, string? Search = null)
{
    /// <summary>A page size beyond this is taken as this, so a crafted circuit event cannot ask for the whole table.</summary>
    public const int MaxPageSize = 100;

    public int Skip => Math.Max(0, Page) * Take;
    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary>The search as an ILIKE pattern matching it anywhere, its own % and _ taken literally; null without a search.</summary>
    public string? SearchPattern => string.IsNullOrWhiteSpace(Search)
        ? null
        : "%" + Search.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}

/// <summary>The rows of one page and how many rows all pages hold.</summary>
public sealed record GridPage<T>(IReadOnlyList<T> Items, int Total);
