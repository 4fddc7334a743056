using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Integration.Tests.Web;
using PreferenceStudio.Jobs;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Web.Projects;
using PreferenceStudio.Web.Security;
using PreferenceStudio.Web.Seeding;

namespace PreferenceStudio.Integration.Tests.Jobs;

/// <summary>A researcher sets, changes and removes a project's retrain schedule (the use case its page runs); the recurring job follows and fires.</summary>
public class ProjectScheduleTests : WebAppTest
{
    private JobStorage Storage => App.Services.GetRequiredService<JobStorage>();
    private int _projectId;
    private int _baseModelId;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var db = Database.CreateContext();
        var baseModel = new ModelVersion("tiny base", ModelKind.Policy, "models/base");
        db.ModelVersions.Add(baseModel);
        await db.SaveChangesAsync();
        _baseModelId = baseModel.Id;
        _projectId = (await db.Projects.SingleAsync(p => p.Slug == DemoSeeder.ProjectSlug)).Id;
    }

    /// <summary>The save the project page's schedule form runs, as the signed-in researcher.</summary>
    private async Task<IReadOnlyList<string>> SaveScheduleAsync(string cron, int? baseModel = null, string role = "Researcher")
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetrainScheduler>().SaveAsync(await PrincipalAsync(role), _projectId, cron, baseModel ?? _baseModelId, CancellationToken.None);
    }

    private RecurringJobDto? Recurring()
    {
        using var connection = Storage.GetConnection();
        return connection.GetRecurringJobs().SingleOrDefault(j => j.Id == ProjectSchedules.RetrainId(_projectId));
    }

    private async Task<string?> StoredCronAsync()
    {
        await using var db = Database.CreateContext();
        return await db.Projects.Where(p => p.Id == _projectId).Select(p => p.RetrainCron).SingleAsync();
    }

    [Fact]
    public async Task SaveSchedule_SetChangedThenCleared_CreatesUpdatesAndRemovesTheRecurringJob()
    {
        (await SaveScheduleAsync("0 3 * * *")).ShouldBeEmpty();
        Recurring().ShouldNotBeNull().Cron.ShouldBe("0 3 * * *");
        Recurring()!.Queue.ShouldBe(JobQueues.Default);
        (await StoredCronAsync()).ShouldBe("0 3 * * *");

        (await SaveScheduleAsync("30 */6 * * 1-5")).ShouldBeEmpty();
        Recurring().ShouldNotBeNull().Cron.ShouldBe("30 */6 * * 1-5");

        (await SaveScheduleAsync("")).ShouldBeEmpty();
        Recurring().ShouldBeNull();
        (await StoredCronAsync()).ShouldBeNull();
    }

    [Theory]
    [InlineData("every night", "retrain_schedule: 'every night' is not a cron expression")]
    [InlineData("61 * * * *", "retrain_schedule: '61 * * * *' is not a cron expression")]
    public async Task SaveSchedule_BadCron_NamesTheFieldAndChangesNothing(string cron, string error)
    {
        await SaveScheduleAsync("0 3 * * *");

        var errors = await SaveScheduleAsync(cron);

        errors.ShouldContain(e => e.StartsWith(error, StringComparison.Ordinal), string.Join("\n", errors));
        (await StoredCronAsync()).ShouldBe("0 3 * * *");
        Recurring()!.Cron.ShouldBe("0 3 * * *");
    }

    [Fact]
    public async Task SaveSchedule_UnknownBaseModel_NamesTheFieldAndCreatesNoJob()
    {
        var errors = await SaveScheduleAsync("0 3 * * *", baseModel: 9999);

        errors.ShouldBe(["retrain_base_model: there is no base model version 9999"]);

        Recurring().ShouldBeNull();
        (await StoredCronAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task SaveSchedule_Annotator_IsRefusedAndCreatesNoJob()
    {
        await Should.ThrowAsync<AccessRefusedException>(() => SaveScheduleAsync("0 3 * * *", role: "Annotator"));

        Recurring().ShouldBeNull();
        (await StoredCronAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task Schedule_EverySecond_FiresAndLaunchesOneRunAtATime()
    {
        await using var worker = await WorkerNode.StartAsync(Database.ConnectionString, queues: JobQueues.Default);
        (await SaveScheduleAsync("* * * * * *")).ShouldBeEmpty();

        // Fired by Hangfire's recurring scheduler, not by hand: a run appears, launched by the schedule. Generous: ./test
        // runs the test projects side by side on two cores, and the worker's server starts slowly then.
        var run = await WaitForAsync(db => db.TrainingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.ProjectId == _projectId),
            "a run launched by the schedule", TimeSpan.FromSeconds(90));
        run.CreatedBy.ShouldBe(ScheduledRetrainJob.RequestedBy);
        run.BaseModelVersionId.ShouldBe(_baseModelId);
        // Nobody listens to the training queue here, so the run stays queued and the schedule's next firings skip.
        await Task.Delay(TimeSpan.FromSeconds(4));
        await using (var db = Database.CreateContext())
            (await db.TrainingRuns.CountAsync(r => r.ProjectId == _projectId)).ShouldBe(1);
        Storage.GetMonitoringApi().SucceededJobs(0, 20)
            .ShouldContain(j => j.Value.Result != null && j.Value.Result.ToString()!.Contains("skipped: run", StringComparison.Ordinal));

        await SaveScheduleAsync("");
        Recurring().ShouldBeNull();
    }
}
