using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using PreferenceStudio.Core.Accounts;
using PreferenceStudio.Data;
using PreferenceStudio.Annotating;
using PreferenceStudio.Web.Annotating;
using PreferenceStudio.Web.Components;
using PreferenceStudio.Web.Endpoints;
using PreferenceStudio.Web.Loop;
using PreferenceStudio.Web.Projects;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Training;

namespace PreferenceStudio.Web.Hosting;

public static class WebExtensions
{
    public static WebApplicationBuilder AddPreferenceStudioWeb(this WebApplicationBuilder builder)
    {
        // blazor.web.js and MudBlazor's files come from packages as static web assets. `dotnet run` in Development
        // and a published app find them by themselves; ./run starts a Release build from bin/ in Production, which
        // needs the build's manifest read explicitly.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddAntiforgery(o => o.HeaderName = "RequestVerificationToken");
        services.AddCascadingAuthenticationState();
        services.AddProblemDetails();
        services.AddSecurityHeaders();
        builder.AddUploadLimits();
        builder.AddSignInThrottle();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        builder.AddDataProtectionKeys();

        services.AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 10;
                // Lockout thresholds come from SignInThrottleOptions: throttle first, lock much later.
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<PreferenceStudioDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "ps.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status403Forbidden);
        });

        services.AddPreferenceStudioPolicies();
        builder.AddCircuitSecurity().AddAdminPages();

        services.AddScoped<Admin.JobsStatusQuery>();
        services.AddScoped<Accounts.AccountService>();
        services.AddScoped<Accounts.PasswordSignIn>();
        services.AddScoped<Projects.PromptImporter>();
        services.AddTrainingPages();
        services.AddLoopPages();
        services.AddScoped<Seeding.DemoSeeder>();
        services.AddScoped<Seeding.DemoLabels>();
        services.AddAnnotation();
        services.AddProjectPages();
        services.AddScoped<Components.ScopedOperations>();
        services.AddSingleton<GuidelinesRenderer>();
        return builder;
    }

    public static WebApplication UsePreferenceStudioWeb(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseStatusPages();
        app.UseUploadLimits();
        app.UseFormTextGuard();
        app.UseSignInThrottle();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPreferenceStudioWeb(this WebApplication app)
    {
        // For load balancers: anonymous, no page, just whether this node can serve.
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapAdminEndpoints();
        app.MapExportEndpoints();
        app.MapTrainingEndpoints();
        app.MapRewardKindEndpoints();
        app.MapPpoEndpoints();
        app.MapLoopEndpoints();
        app.MapAnnotationEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// Browsers are sent to sign in; a signed-in user without the role gets a real 403 that the status page explains.
    /// API callers get bare status codes, never a page.
    /// </summary>
    private static Task ApiAwareRedirect(HttpContext context, string redirectUri, int status)
    {
        var isApi = context.Request.Path.StartsWithSegments("/api");
        if (isApi && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            pages.Enabled = false;
        if (status == StatusCodes.Status401Unauthorized && !isApi)
            context.Response.Redirect(redirectUri);
        else
            context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
