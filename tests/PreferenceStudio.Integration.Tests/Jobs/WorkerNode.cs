using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>A worker process's host, built exactly as the Worker's Program builds it, in this test process.</summary>
internal sealed class WorkerNode : IAsyncDisposable
{
    private readonly IHost _host;

    private WorkerNode(IHost host, string instanceId)
    {
        _host = host;
        InstanceId = instanceId;
    }

    /// <summary>The worker's Hangfire server name (Hangfire's server id starts with it) and what runs record as their node.</summary>
    public string InstanceId { get; }

    /// <summary>The job settings tests use: short waits, so a test sees in seconds what takes a minute in production.</summary>
    public static Dictionary<string, string> TestSettings(string? queues = null, TimeSpan? invisibility = null) => new()
    {
        ["Jobs:Queues"] = queues ?? string.Join(',', JobQueues.All),
        ["Jobs:InvisibilityTimeout"] = (invisibility ?? TimeSpan.FromSeconds(8)).ToString("c"),
        ["Jobs:QueuePollInterval"] = "00:00:00.5",
        ["Jobs:HeartbeatInterval"] = "00:00:02",
        ["Jobs:SchedulePollingInterval"] = "00:00:01",
        ["Jobs:CancellationCheckInterval"] = "00:00:01",
        // A round's stages small and quick: short answers, and a wait for labels that looks again every second.
        ["Loop:LabelCheckInterval"] = "00:00:01",
        ["Loop:MaxNewTokens"] = "8",
    };

    public static async Task<WorkerNode> StartAsync(string connectionString, string? storageRoot = null, string? queues = null, TimeSpan? invisibility = null)
    {
        var node = Build(connectionString, storageRoot, queues, invisibility);
        await node._host.StartAsync();
        return node;
    }

    /// <summary>The node's host, built but not started: a test can act on its services before its server runs.</summary>
    public static WorkerNode Build(string connectionString, string? storageRoot = null, string? queues = null, TimeSpan? invisibility = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Storage:Root"] = storageRoot ?? Path.Combine(Path.GetTempPath(), "ps-test-store"),
        };
        foreach (var (key, value) in TestSettings(queues, invisibility))
            settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPreferenceStudioData();
        builder.AddPreferenceStudioJobs(executeByDefault: true);
        var host = builder.Build();
        return new WorkerNode(host, host.Services.GetRequiredService<JobNode>().Name);
    }

    public IServiceProvider Services => _host.Services;

    public Task StartAsync() => _host.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
