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
}
