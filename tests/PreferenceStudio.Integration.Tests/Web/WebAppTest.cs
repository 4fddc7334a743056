using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Data;
using PreferenceStudio.Testing;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>A test against the real web app over its own fresh, demo-seeded database.</summary>
public abstract class WebAppTest : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = default!;
    protected WebAppFactory App { get; private set; } = default!;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        App = new WebAppFactory(Database.ConnectionString);
        await App.SeedDemoAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>How long <see cref="WaitForAsync"/> waits by default for work done elsewhere (a worker node).</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(45);

    /// <summary>Polls the database until <paramref name="probe"/> finds something, or fails naming <paramref name="what"/>.</summary>
    protected async Task<T> WaitForAsync<T>(Func<PreferenceStudio.Data.PreferenceStudioDbContext, Task<T?>> probe, string what, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = Database.CreateContext();
            if (await probe(db) is { } found)
                return found;
            await Task.Delay(200);
        }
        throw new TimeoutException($"No {what} within {patience ?? Patience}.");
    }

    /// <summary>As <see cref="WaitForAsync"/>, and a timeout says where things stand, as <paramref name="describe"/> tells it.</summary>
    protected async Task<T> WaitForAsync<T>(Func<PreferenceStudio.Data.PreferenceStudioDbContext, Task<T?>> probe, string what,
        Func<Task<string>> describe, TimeSpan? patience = null)
    {
        try
        {
            return await WaitForAsync(probe, what, patience);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\n{await describe()}", timeout);
        }
    }

    protected static DemoAccounts.Account Account(string role) => DemoAccounts.All.First(a => a.Role == role);

    /// <summary>The demo account of this role as a signed-in principal, made by Identity as a sign-in makes it (its security stamp included).</summary>
    protected async Task<ClaimsPrincipal> PrincipalAsync(string role)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>();
        var user = await signIn.UserManager.FindByEmailAsync(Account(role).Email) ?? throw new InvalidOperationException($"no demo {role}");
        return await signIn.CreateUserPrincipalAsync(user);
    }

    /// <summary>A browser-like client signed in as the demo account of this role.</summary>
    protected async Task<HttpClient> SignedInAsync(string role)
    {
        var client = App.CreateBrowser();
        var account = Account(role);
        await client.SignInOrFailAsync(account.Email, account.Password);
        return client;
    }
}
