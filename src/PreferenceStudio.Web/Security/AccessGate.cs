using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Security;

/// <summary>Thrown when the user behind a request or a circuit event may not do this (any more).</summary>
public sealed class AccessRefusedException(string message) : Exception(message);

/// <summary>
/// The one check every handler makes before it reads or writes, whether a page's event or an HTTP request runs it: a
/// page's [Authorize] ran when the page opened, but a circuit lives for hours and its events can be replayed, so each
/// handler asks again, from the user's claims (the policy) and from the account as it is now (<see cref="AccountAccess"/>).
/// </summary>
public sealed class AccessGate(IAuthorizationService authorization, AccountAccess accounts, AuthenticationStateProvider authentication)
{
    /// <summary>For a circuit's handlers: its user as the circuit knows them now, when allowed; null otherwise.</summary>
    public async Task<ClaimsPrincipal?> UserWithAsync(string policy, CancellationToken cancellationToken = default)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return await AllowsAsync(user, policy, cancellationToken) ? user : null;
    }

    /// <summary>Whether <paramref name="user"/> satisfies <paramref name="policy"/> and their account may still act.</summary>
    public async Task<bool> AllowsAsync(ClaimsPrincipal user, string policy, CancellationToken cancellationToken = default) =>
        await RefusalAsync(user, policy, cancellationToken) is null;

    /// <summary>Throws <see cref="AccessRefusedException"/>, saying why, unless <see cref="AllowsAsync"/>.</summary>
    public async Task RequireAsync(ClaimsPrincipal user, string policy, CancellationToken cancellationToken = default)
    {
        if (await RefusalAsync(user, policy, cancellationToken) is { } refusal)
            throw new AccessRefusedException(refusal);
    }

    private async Task<string?> RefusalAsync(ClaimsPrincipal user, string policy, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(user, policy)).Succeeded)
            return Policies.Refusal(policy);
        return await accounts.IsStillAllowedAsync(user, cancellationToken)
            ? null
            : "This account is locked, changed or no longer exists; sign in again.";
    }
}
