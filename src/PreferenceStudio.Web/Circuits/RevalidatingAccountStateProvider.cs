using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Circuits;

/// <summary>
/// Rechecks an idle circuit's user every <see cref="CircuitSettings.RevalidationInterval"/>, and signs the circuit out
/// (AuthorizeRouteView then sends the browser to sign in) when the account was locked, deleted or changed. Events
/// are checked sooner, by <see cref="AccountRecheckCircuitHandler"/>; this covers a circuit that only watches.
/// </summary>
public sealed class RevalidatingAccountStateProvider(ILoggerFactory loggerFactory, AccountAccess access, IOptions<CircuitSettings> settings)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => settings.Value.RevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        access.IsStillAllowedAsync(authenticationState.User, cancellationToken);
}
