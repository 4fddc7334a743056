using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.E2E;

/// <summary>The real web app on Kestrel at a free local port, over a test database, serving the repository's wwwroot.</summary>
public sealed class AppServer : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly string? _executeJobsWithStore;

    /// <param name="executeJobsWithStore">When set, the app is also the job node (single-node mode) with this storage root.</param>
    public AppServer(string connectionString, string? executeJobsWithStore = null)
    {
        _connectionString = connectionString;
        _executeJobsWithStore = executeJobsWithStore;
        Port = FreePort();
        UseKestrel(Port);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PreferenceStudio.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("PreferenceStudio.sln not found above the test binaries.");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Default", _connectionString);
        builder.UseSetting("Jobs:Execute", _executeJobsWithStore is null ? "false" : "true");
        if (_executeJobsWithStore is not null)
        {
            builder.UseSetting("Storage:Root", _executeJobsWithStore);
            builder.UseSetting("Jobs:QueuePollInterval", "00:00:00.5");
        }
        builder.UseWebRoot(Path.Combine(RepoRoot, "wwwroot"));
    }

    public async Task SeedDemoAsync()
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
