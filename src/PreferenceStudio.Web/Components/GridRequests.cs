using MudBlazor;
using PreferenceStudio.Web.Grids;

namespace PreferenceStudio.Web.Components;

public static class GridRequests
{
    /// <summary>The grid's state as our queries take it: the first sort column by its property name, and the page's search text.</summary>
    public static PageRequest ToPageRequest<T>(this GridState<T> state, string? search = null)
    {
        var sort = state.SortDefinitions.OrderBy(s => s.Index).FirstOrDefault();
        return new PageRequest(state.Page, state.PageSize, sort?.SortBy, sort?.Descending ?? false, search);
    }

    public static GridData<T> ToGridData<T>(this Paged<T> page) => new() { Items = page.Items, TotalItems = page.Total };
}
