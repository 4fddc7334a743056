using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Integration.Tests.Web;

namespace PreferenceStudio.Integration.Tests.Projects;

/// <summary>
/// Calls the use cases behind the interactive pages as a circuit's handler does: with the user's claims as the
/// sign-in put them there, against the real app's services and database.
/// </summary>
public abstract class UseCaseTest : WebAppTest
{
    private readonly List<AsyncServiceScope> _scopes = [];

    protected T Service<T>() where T : notnull
    {
        var scope = App.Services.CreateAsyncScope();
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    /// <summary>The demo account of this role as a signed-in principal, made by Identity as a sign-in makes it (its security stamp included).</summary>
    protected Task<ClaimsPrincipal> AsAsync(string role) => PrincipalAsync(role);

    protected async Task<string> AccountIdAsync(string role)
    {
        await using var db = Database.CreateContext();
        return await db.Users.Where(u => u.Email == Account(role).Email).Select(u => u.Id).SingleAsync();
    }

    protected async Task<int> DemoProjectIdAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Projects.Where(p => p.Slug == PreferenceStudio.Web.Seeding.DemoSeeder.ProjectSlug).Select(p => p.Id).SingleAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var scope in _scopes)
            await scope.DisposeAsync();
        await base.DisposeAsync();
    }
}
