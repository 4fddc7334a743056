namespace PreferenceStudio.Web.Endpoints;

/// <summary>
/// 303 See Other: after a form post the browser GETs the given page, so reloading it never posts again.
/// ASP.NET Core's redirect results only give 301, 302, 307 and 308.
/// </summary>
public sealed class SeeOtherHttpResult(string location) : IResult, IStatusCodeHttpResult
{
    public string Location { get; } = location;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        Apply(httpContext.Response, Location);
        return Task.CompletedTask;
    }

    /// <summary>For a page's own form handler, where the page still renders the body (a link to the same place).</summary>
    public static void Apply(HttpResponse response, string location)
    {
        response.StatusCode = StatusCodes.Status303SeeOther;
        response.Headers.Location = location;
    }
}
