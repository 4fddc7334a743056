using Microsoft.AspNetCore.Diagnostics;

namespace PreferenceStudio.Web.Security;

/// <summary>
/// Why the edge refused a request before any page or endpoint saw it. A browser gets the status page, which shows
/// this message (what was wrong and where, not a bare "Error 400"); an API caller gets it as problem details.
/// </summary>
public sealed record RefusedRequest(string Message)
{
    public static async Task AnswerAsync(HttpContext context, int status, string message)
    {
        context.Features.Set(new RefusedRequest(message));
        context.Response.StatusCode = status;
        if (!context.Request.Path.StartsWithSegments("/api"))
            return;
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            pages.Enabled = false;
        await TypedResults.Problem(statusCode: status, detail: message, title: "Refused; nothing was stored").ExecuteAsync(context);
    }

    public static string? Of(HttpContext? context) => context?.Features.Get<RefusedRequest>()?.Message;
}
