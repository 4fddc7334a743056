using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs;
using Quartz;

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

    public string InstanceId { get; }

    public static async Task<WorkerNode> StartAsync(string connectionString, Action<IServiceCollection>? configure = null, string? storageRoot = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = connectionString,
            ["Jobs:CheckinInterval"] = "00:00:02",
            ["Jobs:IdleWaitTime"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Storage:Root"] = storageRoot ?? Path.Combine(Path.GetTempPath(), "ps-test-store"),
        });
        builder.AddPreferenceStudioData();
        builder.AddPreferenceStudioJobs(executeByDefault: true);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return new WorkerNode(host, scheduler.SchedulerInstanceId);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
