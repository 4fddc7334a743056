using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Data;

/// <summary>A database of the Quartz release upgraded to the Hangfire one: Quartz's leftovers go, nothing waits for ever.</summary>
public class UpgradeTests
{
    [Fact]
    public async Task Migrate_DatabaseOfTheQuartzRelease_DropsQuartzAndEndsRunsItHeld()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using (var old = database.CreateContext())
        {
            await old.GetService<IMigrator>().MigrateAsync("20261122182841_InitialSchema");
            // What Quartz's ProvisionSchema made, and a run it held when the old release stopped.
            await old.Database.ExecuteSqlRawAsync("""
                CREATE TABLE qrtz_job_details (sched_name text, job_name text);
                CREATE TABLE qrtz_locks (sched_name text, lock_name text);
                INSERT INTO training_runs (kind, config, state, step, total_steps, created_by, created_at)
                VALUES (0, '{{}}', 1, 3, 10, 'researcher', now()), (0, '{{}}', 2, 10, 10, 'researcher', now());
                """);
        }

        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();

        var tables = await db.Database.SqlQuery<string>($"SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'public'").ToListAsync();
        tables.ShouldNotContain(t => t.StartsWith("qrtz_", StringComparison.Ordinal));
        tables.ShouldNotContain("job_executions");
        var runs = await db.TrainingRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        runs[0].State.ShouldBe(RunState.Failed);
        runs[0].Error!.ShouldContain("launch the run again");
        runs[1].State.ShouldBe(RunState.Succeeded);

        // Hangfire's schema comes with its storage (as the migrate command makes it) and the app's tables are untouched by it.
        JobsExtensions.CreateStorage(database.ConnectionString, new JobsOptions()).GetMonitoringApi().Servers().ShouldBeEmpty();
        (await db.Database.SqlQuery<string>($"SELECT tablename AS \"Value\" FROM pg_tables WHERE schemaname = 'hangfire'").ToListAsync())
            .ShouldContain("job");
    }

    [Fact]
    public async Task Migrate_DatabaseOfTheRetrainScheduleRelease_RunMadeRewardModelsGetTheirOriginAndTheRestAreBase()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using (var old = database.CreateContext())
        {
            await old.GetService<IMigrator>().MigrateAsync("20261202014812_ProjectRetrainSchedule");
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO model_versions (name, kind, checkpoint_path, metrics, created_at) VALUES ('base', 0, 'models/base', '{{}}', now());
                INSERT INTO training_runs (kind, config, state, step, total_steps, created_by, created_at, base_model_version_id)
                VALUES (0, '{{}}', 2, 10, 10, 'researcher', now(), 1);
                INSERT INTO model_versions (name, kind, parent_id, training_run_id, checkpoint_path, metrics, created_at)
                VALUES ('reward', 1, 1, 1, 'models/reward', '{{}}', now());
                """);
        }

        await using var db = database.CreateContext();
        await db.Database.MigrateAsync();

        var versions = await db.ModelVersions.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
        versions.Select(m => m.Origin).ShouldBe([ModelOrigin.Base, ModelOrigin.RewardRun]);
        versions.ShouldAllBe(m => m.LabelsSeen == null && m.NewestLabelAt == null && m.ReferenceModelId == null);
    }
}
