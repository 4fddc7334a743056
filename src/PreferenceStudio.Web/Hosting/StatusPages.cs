using Microsoft.AspNetCore.Diagnostics;

namespace PreferenceStudio.Web.Hosting;

/// <summary>
/// Error statuses without a body get the status page, showing the status the request earned. The page is rendered
/// as a GET even when the failed request was a POST: otherwise the page's own form handling and antiforgery check run
/// on the re-executed POST and turn a 403, 405 or 413 into a 400 or 500.
/// </summary>
public static class StatusPages
{
    public static WebApplication UseStatusPages(this WebApplication app)
    {
        // A fresh scope: the re-executed status page must not reuse the failed page's NavigationManager.
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.Use(ApiProblemsAsync);
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IStatusCodeReExecuteFeature>() is null || HttpMethods.IsGet(context.Request.Method))
            {
                await next(context);
                return;
            }
            var method = context.Request.Method;
            context.Request.Method = HttpMethods.Get;
            try
            {
                await next(context);
            }
            finally
            {
                context.Request.Method = method;
            }
        });
        return app;
    }

    /// <summary>
    /// The JSON API answers in its own language: an error without a body (a 405, an unknown /api address) becomes
    /// problem+json, never the HTML status page.
    /// </summary>
    private static async Task ApiProblemsAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            pages.Enabled = false;
        await next(context);
        var response = context.Response;
        if (response.StatusCode >= 400 && !response.HasStarted && response.ContentLength is null && response.ContentType is null)
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext { HttpContext = context });
    }
}
