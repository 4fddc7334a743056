using Microsoft.AspNetCore.Antiforgery;

namespace PreferenceStudio.Web.Endpoints;

public static class AntiforgeryHeaderFilter
{
    /// <summary>
    /// ASP.NET Core's antiforgery middleware checks form posts only. Cookie-authenticated writes without a form
    /// body (JSON) must still prove they come from our pages: the token travels as a header.
    /// </summary>
    public static RouteHandlerBuilder RequireAntiforgeryHeader(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext))
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Missing or invalid antiforgery token",
                    detail: "Send the RequestVerificationToken header that every page carries in its <meta name=\"request-verification-token\">.");
            return await next(context);
        });
}
