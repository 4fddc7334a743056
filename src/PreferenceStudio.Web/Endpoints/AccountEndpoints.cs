using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Endpoints;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // A form post (never a GET), so a link or an image on another site cannot sign people out.
        app.MapPost("/account/logout", async Task<RedirectHttpResult> ([Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl, SignInManager<ApplicationUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).RequireAuthorization();
        return app;
    }
}
