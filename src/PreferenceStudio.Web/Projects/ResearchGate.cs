using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Projects;

/// <summary>Thrown when the user behind a request or a circuit event may not do research work (any more).</summary>
public sealed class AccessRefusedException(string message) : Exception(message);

/// <summary>
/// The check every research use case makes before it reads or writes: a page's [Authorize] runs when the page opens,
/// but a circuit lives for hours and its events can be replayed, so each handler asks again, from the user's claims
/// and from the account as it is now (deleted or locked since the page opened means refused).
/// </summary>
public sealed class ResearchGate(IAuthorizationService authorization, IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task RequireAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!(await authorization.AuthorizeAsync(user, Policies.Research)).Succeeded)
            throw new AccessRefusedException("Only researchers and administrators may do this.");
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var now = clock.GetUtcNow();
        if (id is null || !await db.Users.AnyAsync(u => u.Id == id && (u.LockoutEnd == null || u.LockoutEnd <= now), cancellationToken))
            throw new AccessRefusedException("This account is locked or no longer exists; sign in again.");
    }
}
