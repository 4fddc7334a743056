using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Endpoints;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post (never a GET), so a link or an image on another site cannot sign people out. The token is
        // checked here rather than by form binding, whose failure is an exception (a 500) instead of a 400.
        app.MapPost("/account/logout", async Task<Results<RedirectHttpResult, StatusCodeHttpResult>> (HttpContext context, IAntiforgery antiforgery, SignInManager<ApplicationUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return TypedResults.StatusCode(StatusCodes.Status400BadRequest);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).RequireAuthorization().DisableAntiforgery();
        return app;
    }
}
