using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace PreferenceStudio.Web.Circuits;

/// <summary>
/// For the handlers of interactive pages: the page's [Authorize] was checked when it rendered, but a handler runs on a
/// later event, possibly replayed by a client that never had the page. Each handler asks again, from the circuit's
/// current authentication state (anonymous once the account lost its rights).
/// </summary>
public sealed class HandlerAuthorization(IAuthorizationService authorization, AuthenticationStateProvider authentication)
{
    /// <summary>The circuit's user when it satisfies <paramref name="policy"/> now; null otherwise.</summary>
    public async Task<ClaimsPrincipal?> UserWithAsync(string policy)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return (await authorization.AuthorizeAsync(user, policy)).Succeeded ? user : null;
    }
}
