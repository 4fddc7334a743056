using MudBlazor;
using PreferenceStudio.Web.Projects;

namespace PreferenceStudio.Web.Components.Pages.Projects;

public static class GridRequests
{
    /// <summary>
    /// The grid's state as our queries take it: the first sort column by its property name (the queries sort only by
    /// the names they know, so nothing the browser sends reaches the SQL as such) and the page's search text.
    /// </summary>
    public static PageRequest ToPageRequest<T>(this GridState<T> state, string? search)
    {
        var sort = state.SortDefinitions.OrderBy(s => s.Index).FirstOrDefault();
        return new PageRequest(state.Page, state.PageSize, sort?.SortBy, sort?.Descending ?? false, search);
    }

    public static GridData<T> ToGridData<T>(this Paged<T> page) => new() { Items = page.Items, TotalItems = page.Total };
}
