using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Tests;

/// <summary>
/// A bUnit context with MudBlazor's services and the app's own authorization policies (not a fake authorizer), so a
/// component's role checks are the ones the app runs.
/// </summary>
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    protected ComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddPreferenceStudioPolicies();
        // bUnit puts a placeholder authorizer in first; the app's own one evaluates the policies above.
        Services.Replace(ServiceDescriptor.Transient<IAuthorizationService, DefaultAuthorizationService>());
        Services.AddCascadingAuthenticationState();
        SignInAs(null);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services (its key interceptor) may only be disposed asynchronously; xunit's Dispose is synchronous.
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    /// <summary>Signs in a user with the given role, or signs out when the role is null.</summary>
    protected void SignInAs(string? role)
    {
        var identity = role is null
            ? new ClaimsIdentity()
            : new ClaimsIdentity([new Claim(ClaimTypes.Name, $"{role.ToLowerInvariant()}@test.local"), new Claim(ClaimTypes.Role, role)], "test");
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(new ClaimsPrincipal(identity)));
    }

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
