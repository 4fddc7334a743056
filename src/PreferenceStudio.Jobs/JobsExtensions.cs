using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs;

public static class JobsExtensions
{
    /// <summary>Hangfire's tables live in a schema of their own in the project's database.</summary>
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// Hangfire over the project's PostgreSQL. Every process can enqueue; only processes that execute (workers by
    /// default, the web app when Jobs:Execute is set) run a Hangfire server, which takes jobs from the configured queues.
    /// </summary>
    public static IHostApplicationBuilder AddPreferenceStudioJobs(this IHostApplicationBuilder builder, bool executeByDefault)
    {
        var options = new JobsOptions { Execute = executeByDefault };
        builder.Configuration.GetSection(JobsOptions.Section).Bind(options);
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<JobNode>();
        services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
        services.Configure<Models.TorchOptions>(builder.Configuration.GetSection(Models.TorchOptions.Section));
        services.AddScoped<Export.ExportLauncher>();
        services.AddScoped<Training.TrainingLauncher>();
        services.AddScoped<Training.ModelRegistry>();
        services.AddScoped<Training.ModelLineage>();
        services.AddScoped<ProjectSchedules>();
        services.AddScoped<Loop.LoopSettingsStore>();
        services.AddScoped<Loop.RoundLauncher>();
        services.Configure<Loop.LoopOptions>(builder.Configuration.GetSection(Loop.LoopOptions.Section));
        services.AddScoped<Loop.RoundJobContext>();
        services.AddScoped<Loop.InlineTrainingRun>();
        services.AddScoped<Loop.ResponseScorer>();
        services.AddScoped<Loop.RoundPairsWriter>();
        services.AddScoped<Loop.ScoringLauncher>();
        services.AddScoped<Loop.IPolicyJudge, Loop.RewardModelJudge>();
        services.AddScoped<Loop.IRoundStage, Loop.Stages.RewardModelStage>();
        services.AddScoped<Loop.IRoundStage, Loop.Stages.SampleStage>();
        services.AddScoped<Loop.IRoundStage, Loop.Stages.PairsStage>();
        // The fourth stage trains the new policy with the trainer the round's settings chose (DPO or PPO).
        services.AddScoped<Loop.IRoundStage, Loop.Stages.PolicyUpdateStage>();
        services.AddScoped<Loop.Stages.DpoStage>();
        services.AddScoped<Loop.Stages.PpoStage>();
        services.AddScoped<Loop.FineGrainedRewardRefresh>();
        services.AddScoped<Loop.IRoundStage, Loop.Stages.EvaluateStage>();
        foreach (var format in new Export.IDatasetFormat[]
                 {
                     new Export.TrlPreferenceFormat(), new Export.TrlUnpairedFormat(), new Export.UltraFeedbackFormat(),
                     new Export.HelpSteerFormat(), new Export.FineGrainedSpansFormat(), new Export.PrincipleFeedbackFormat(),
                 })
            services.AddSingleton(format);

        // This host's own storage, registered before AddHangfire (which only adds one if none is there): Hangfire's
        // default hands out the process-wide JobStorage.Current, and two hosts in one process (tests) would share it.
        var connectionString = builder.Configuration.RequireConnectionString();
        services.AddSingleton<JobStorage>(_ => CreateStorage(connectionString, options));
        // The job activator likewise: the default is the process-wide JobActivator.Current, which each host's Hangfire
        // configuration overwrites when it is first resolved. A server that read it just after another host had set it
        // made its jobs from that host's services, and from a host already disposed every job failed at once.
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseLogProvider(new HostSafeLogProvider(new AspNetCoreLogProvider(provider.GetRequiredService<ILoggerFactory>())));
            RetryTransient.Apply();
        });

        if (options.Execute)
        {
            services.AddHangfireServer((provider, server) =>
            {
                server.ServerName = provider.GetRequiredService<JobNode>().Name;
                server.WorkerCount = options.WorkerCount;
                server.Queues = [.. options.QueueList];
                server.HeartbeatInterval = options.HeartbeatInterval;
                server.ServerTimeout = options.ServerTimeout;
                server.ServerCheckInterval = options.ServerTimeout / 2;
                server.SchedulePollingInterval = options.SchedulePollingInterval;
                server.CancellationCheckInterval = options.CancellationCheckInterval;
            });
            services.AddHostedService<MaintenanceSchedule>();
        }
        return builder;
    }

    /// <summary>
    /// The storage prepares (installs or upgrades) its schema when it is made, so the app starts on an empty database;
    /// the migrate command makes one too, so a deployment's schema is in place before any node starts.
    /// </summary>
    public static PostgreSqlStorage CreateStorage(string connectionString, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = HangfireSchema,
            PrepareSchemaIfNecessary = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = options.InvisibilityTimeout,
            QueuePollInterval = options.QueuePollInterval,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
    }
}
