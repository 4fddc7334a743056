using System.Linq.Expressions;

namespace PreferenceStudio.Web.Grids;

/// <summary>
/// Orders a query by the column a grid asked for, when it is one the query names; any other name sorts by the
/// query's default, so nothing the browser sends reaches the SQL as such.
/// </summary>
public sealed class ColumnSort<T>(IQueryable<T> rows, PageRequest request)
{
    private IOrderedQueryable<T>? _sorted;

    public ColumnSort<T> Column<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        if (_sorted is null && request.SortBy == name)
            _sorted = request.Descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
        return this;
    }

    /// <summary>The order when no named column was asked for: in the asked direction, or in <paramref name="descending"/>'s when given.</summary>
    public IOrderedQueryable<T> Otherwise<TKey>(Expression<Func<T, TKey>> key, bool? descending = null) =>
        _sorted ?? ((descending ?? request.Descending) ? rows.OrderByDescending(key) : rows.OrderBy(key));
}

public static class Paging
{
    public static ColumnSort<T> SortBy<T>(this IQueryable<T> rows, PageRequest request) => new(rows, request);

    /// <summary>The request's page of an ordered query.</summary>
    public static IQueryable<T> PageOf<T>(this IOrderedQueryable<T> rows, PageRequest request) => rows.Skip(request.Skip).Take(request.Take);
}
