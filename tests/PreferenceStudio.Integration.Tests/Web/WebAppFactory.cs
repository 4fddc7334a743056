using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Web;

/// <summary>
/// The real web app over a test database; it schedules jobs but, like production web nodes, runs none. Each app has a
/// model store of its own: test databases all number their runs from 1, so a shared store would let one test's run 1
/// read another's files.
/// </summary>
public sealed class WebAppFactory(string connectionString) : WebApplicationFactory<Program>
{
    public string StoreRoot { get; } = Path.Combine(Path.GetTempPath(), "ps-web-store-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        builder.UseSetting("Jobs:Execute", "false");
        builder.UseSetting("Storage:Root", StoreRoot);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(StoreRoot))
            Directory.Delete(StoreRoot, recursive: true);
    }

    public async Task SeedDemoAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    public HttpClient CreateBrowser() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
}
