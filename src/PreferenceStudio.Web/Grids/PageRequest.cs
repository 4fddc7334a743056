namespace PreferenceStudio.Web.Projects;

/// <summary>One page of a server-side grid: zero-based page, its size, one sort column and a search text.</summary>
public sealed record PageRequest(int Page, int PageSize, string? SortBy = null, bool Descending = false, string? Search = null)
{
    public const int MaxPageSize = 200;

    /// <summary>Rows to skip and take, kept within bounds whatever the caller sent.</summary>
    public (int Skip, int Take) Window
    {
        get
        {
            var take = Math.Clamp(PageSize, 1, MaxPageSize);
            return (Math.Max(Page, 0) * take, take);
        }
    }

    /// <summary>The escape character of <see cref="SearchPattern"/>, to pass to ILIKE (Npgsql turns escaping off without it).</summary>
    public const string Escape = @"\";

    /// <summary>The search text as an ILIKE pattern that matches it anywhere, its wildcards taken literally; null when empty.</summary>
    public string? SearchPattern => string.IsNullOrWhiteSpace(Search)
        ? null
        : "%" + Search.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}

public sealed record Paged<T>(IReadOnlyList<T> Items, int Total);
