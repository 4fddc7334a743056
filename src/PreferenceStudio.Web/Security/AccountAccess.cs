using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Security;

/// <summary>
/// Whether the account behind a signed-in principal may still act: it exists and its security stamp is the one the
/// principal was issued with. An administrator's lock and a role change renew the stamp, so they end the account's open
/// pages; the short lockout after wrong passwords does not, or anyone guessing a person's password could end that
/// person's work (it only stops new sign-ins). One scope per check: a circuit lives for hours and must not hold a DbContext.
/// </summary>
public sealed class AccountAccess(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
{
    public async Task<bool> IsStillAllowedAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var claims = identity.Value.ClaimsIdentity;
        var id = user.FindFirstValue(claims.UserIdClaimType);
        if (id is null)
            return false;
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var account = await users.FindByIdAsync(id);
        if (account is null)
            return false;
        return !users.SupportsUserSecurityStamp
            || user.FindFirstValue(claims.SecurityStampClaimType) == await users.GetSecurityStampAsync(account);
    }
}
