using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PreferenceStudio.Data;
using Quartz;

namespace PreferenceStudio.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// A Quartz scheduler over the clustered PostgreSQL store. Every process can schedule; only processes
    /// that execute (workers by default, the web app when Jobs:Execute is set) start the scheduler and so take jobs.
    /// </summary>
    public static IHostApplicationBuilder AddPreferenceStudioJobs(this IHostApplicationBuilder builder, bool executeByDefault)
    {
        var options = new JobsOptions { Execute = executeByDefault };
        builder.Configuration.GetSection(JobsOptions.Section).Bind(options);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
        builder.Services.Configure<Models.TorchOptions>(builder.Configuration.GetSection(Models.TorchOptions.Section));
        builder.Services.AddScoped<Export.ExportLauncher>();
        builder.Services.AddScoped<Training.TrainingLauncher>();
        builder.Services.AddScoped<Training.ModelRegistry>();
        foreach (var format in new Export.IDatasetFormat[]
                 {
                     new Export.TrlPreferenceFormat(), new Export.TrlUnpairedFormat(), new Export.UltraFeedbackFormat(),
                     new Export.HelpSteerFormat(), new Export.FineGrainedSpansFormat(), new Export.PrincipleFeedbackFormat(),
                 })
            builder.Services.AddSingleton(format);
        var connectionString = builder.Configuration.RequireConnectionString();

        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "PreferenceStudio";
                s.IdleWaitTime = options.IdleWaitTime;
            });
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = options.MaxConcurrency);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.UseClustering(c =>
                {
                    c.CheckinInterval = options.CheckinInterval;
                    c.CheckinMisfireThreshold = options.CheckinInterval * 2;
                });
            });
            q.AddJob<ExpireLeasesJob>(j => j.WithIdentity(ExpireLeasesJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<ClusterDrillJob>(j => j.WithIdentity(ClusterDrillJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<Export.DatasetExportJob>(j => j.WithIdentity(Export.DatasetExportJob.Key).StoreDurably().RequestRecovery());
            q.AddJob<Training.RewardModelJob>(j => j.WithIdentity(Training.RewardModelJob.Key).StoreDurably().RequestRecovery());
        });

        if (options.Execute)
        {
            builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            builder.Services.AddHostedService<RecurringTriggers>();
        }
        return builder;
    }
}
