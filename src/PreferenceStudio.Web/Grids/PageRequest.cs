namespace PreferenceStudio.Web.Grids;

/// <summary>One page of a server-side grid: zero-based page, its size, one sort column and a search text.</summary>
public sealed record PageRequest(int Page, int PageSize, string? SortBy = null, bool Descending = false, string? Search = null)
{
    /// <summary>A page size beyond this is taken as this, so a crafted circuit event cannot ask for the whole table.</summary>
    public const int MaxPageSize = 100;

    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);

    public int Skip => Math.Max(Page, 0) * Take;

    /// <summary>The escape character of <see cref="SearchPattern"/>, to pass to ILIKE (Npgsql turns escaping off without it).</summary>
    public const string Escape = @"\";

    /// <summary>The search text as an ILIKE pattern that matches it anywhere, its wildcards taken literally; null when empty.</summary>
    public string? SearchPattern => Contains(Search);

    /// <summary>An ILIKE pattern matching <paramref name="text"/> anywhere, its own \, % and _ taken literally; null when empty.</summary>
    public static string? Contains(string? text) => string.IsNullOrWhiteSpace(text)
        ? null
        : "%" + text.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}

/// <summary>The rows of one page and how many rows all pages hold.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total);
