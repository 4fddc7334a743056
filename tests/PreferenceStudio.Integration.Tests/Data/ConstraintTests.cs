using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Data;

/// <summary>The database itself refuses the states the domain must never reach, whatever code writes to it.</summary>
public class ConstraintTests : IAsyncLifetime
{
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();
    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static PairwiseAnnotation Label(AnnotationTask task, string annotator, Guid? key = null, PairwisePreference preference = PairwisePreference.ABetter) =>
        new(new AnnotationContext(task.Id, annotator, null, key ?? Guid.NewGuid(), TimeSpan.FromSeconds(3),
                task.Responses.Select(r => r.ResponseId).ToList(), null, DateTimeOffset.UtcNow),
            task.Responses[0].ResponseId, task.Responses[1].ResponseId, preference, bothBad: false);

    private static async Task<PostgresException> RefusedAsync(Func<Task> write)
    {
        var error = await Should.ThrowAsync<DbUpdateException>(write);
        return error.InnerException.ShouldBeOfType<PostgresException>();
    }

    [Fact]
    public async Task SaveAnnotation_SecondFirstVersionForTheSameAnnotator_IsRefused()
    {
        await using var db = _database.CreateContext();
        var (_, _, task) = await Seed.PairwiseTaskAsync(db);
        var user = await Seed.UserAsync(db, "ann@x");
        db.Annotations.Add(Label(task, user.Id));
        await db.SaveChangesAsync();

        db.Annotations.Add(Label(task, user.Id));
        (await RefusedAsync(() => db.SaveChangesAsync())).SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
    }

    [Fact]
    public async Task Update_ReviveSupersededVersion_IsRefusedSoOnlyOneVersionIsCurrent()
    {
        await using var db = _database.CreateContext();
        var (_, _, task) = await Seed.PairwiseTaskAsync(db);
        var user = await Seed.UserAsync(db, "ann@x");
        var first = Label(task, user.Id);
        db.Annotations.Add(first);
        await db.SaveChangesAsync();
        var edit = Label(task, user.Id);
        first.SupersedeWith(edit);
        db.Annotations.Add(edit);
        await db.SaveChangesAsync();

        var error = await Should.ThrowAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE annotations SET superseded_at = NULL WHERE id = {first.Id}"));
        error.ConstraintName.ShouldBe("ux_annotations_current");
    }

    [Fact]
    public async Task SaveAnnotation_Supersession_KeepsBothVersionsAndOneCurrent()
    {
        await using (var db = _database.CreateContext())
        {
            var (_, _, task) = await Seed.PairwiseTaskAsync(db);
            var user = await Seed.UserAsync(db, "ann@x");
            var first = Label(task, user.Id);
            db.Annotations.Add(first);
            await db.SaveChangesAsync();
            var edit = Label(task, user.Id, preference: PairwisePreference.BMuchBetter);
            first.SupersedeWith(edit);
            db.Annotations.Add(edit);
            await db.SaveChangesAsync();
        }

        await using var read = _database.CreateContext();
        var versions = await read.PairwiseAnnotations.OrderBy(a => a.Version).ToListAsync();
        versions.Select(v => (v.Version, v.Preference, v.SupersededAt is null))
            .ShouldBe([(1, PairwisePreference.ABetter, false), (2, PairwisePreference.BMuchBetter, true)]);
    }

    [Fact]
    public async Task SaveAnnotation_RepeatedIdempotencyKey_IsRefused()
    {
        await using var db = _database.CreateContext();
        var (project, prompt, task) = await Seed.PairwiseTaskAsync(db);
        var other = new AnnotationTask(project, prompt.Id, TaskKind.Pairwise, prompt.Responses.Skip(1).Select(r => r.Id).ToList());
        db.Tasks.Add(other);
        var user = await Seed.UserAsync(db, "ann@x");
        var key = Guid.NewGuid();
        db.Annotations.Add(Label(task, user.Id, key));
        await db.SaveChangesAsync();

        db.Annotations.Add(Label(other, user.Id, key));
        (await RefusedAsync(() => db.SaveChangesAsync())).SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
    }

    [Fact]
    public async Task SaveAssignment_TwoLiveLeasesOnOneSlot_IsRefused()
    {
        await using var db = _database.CreateContext();
        var (_, _, task) = await Seed.PairwiseTaskAsync(db);
        var a = await Seed.UserAsync(db, "a@x");
        var b = await Seed.UserAsync(db, "b@x");
        var now = DateTimeOffset.UtcNow;
        db.Assignments.Add(new Assignment(task.Id, a.Id, slot: 1, now, TimeSpan.FromMinutes(5)));
        await db.SaveChangesAsync();

        db.Assignments.Add(new Assignment(task.Id, b.Id, slot: 1, now, TimeSpan.FromMinutes(5)));
        (await RefusedAsync(() => db.SaveChangesAsync())).ConstraintName.ShouldBe("ux_assignments_live_slot");
    }

    [Fact]
    public async Task SaveAssignment_ExpiredSlot_CanBeLeasedAgainToSomeoneElse()
    {
        await using var db = _database.CreateContext();
        var (_, _, task) = await Seed.PairwiseTaskAsync(db);
        var a = await Seed.UserAsync(db, "a@x");
        var b = await Seed.UserAsync(db, "b@x");
        var then = DateTimeOffset.UtcNow.AddHours(-1);
        var abandoned = new Assignment(task.Id, a.Id, slot: 1, then, TimeSpan.FromMinutes(5));
        db.Assignments.Add(abandoned);
        await db.SaveChangesAsync();

        abandoned.Expire(DateTimeOffset.UtcNow);
        db.Assignments.Add(new Assignment(task.Id, b.Id, slot: 1, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        await db.SaveChangesAsync();

        (await db.Assignments.CountAsync(x => x.TaskId == task.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task SaveAssignment_SameAnnotatorTwiceOnATask_IsRefused()
    {
        await using var db = _database.CreateContext();
        var (_, _, task) = await Seed.PairwiseTaskAsync(db);
        var a = await Seed.UserAsync(db, "a@x");
        var then = DateTimeOffset.UtcNow.AddHours(-1);
        var first = new Assignment(task.Id, a.Id, slot: 1, then, TimeSpan.FromMinutes(5));
        db.Assignments.Add(first);
        await db.SaveChangesAsync();
        first.Expire(DateTimeOffset.UtcNow);

        db.Assignments.Add(new Assignment(task.Id, a.Id, slot: 2, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        (await RefusedAsync(() => db.SaveChangesAsync())).SqlState.ShouldBe(PostgresErrorCodes.UniqueViolation);
    }

    [Fact]
    public async Task Update_OverlapOutOfRange_IsRefusedByTheCheckConstraint()
    {
        await using var db = _database.CreateContext();
        var (project, _, _) = await Seed.PairwiseTaskAsync(db);
        var error = await Should.ThrowAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE projects SET overlap = 0 WHERE id = {project.Id}"));
        error.ConstraintName.ShouldBe("ck_projects_overlap");
    }

    [Fact]
    public async Task SaveRanking_EntriesAndSpans_RoundTripThroughTheirTables()
    {
        int rankingId;
        await using (var db = _database.CreateContext())
        {
            var (project, prompt, _) = await Seed.PairwiseTaskAsync(db);
            var ids = prompt.Responses.Select(r => r.Id).ToList();
            var rankingTask = new AnnotationTask(project, prompt.Id, TaskKind.Ranking, ids);
            db.Tasks.Add(rankingTask);
            var user = await Seed.UserAsync(db, "ann@x");
            var ranking = new RankingAnnotation(new AnnotationContext(rankingTask.Id, user.Id, null, Guid.NewGuid(), TimeSpan.FromSeconds(9), ids, "why", DateTimeOffset.UtcNow),
                [new RankingEntry(ids[2], 1), new RankingEntry(ids[0], 2), new RankingEntry(ids[1], 3)], tiesAllowed: false);
            db.Annotations.Add(ranking);
            await db.SaveChangesAsync();
            rankingId = (int)ranking.Id;
        }

        await using var read = _database.CreateContext();
        var loaded = await read.RankingAnnotations.SingleAsync(a => a.Id == rankingId);
        loaded.Entries.OrderBy(e => e.Rank).Select(e => e.Rank).ShouldBe([1, 2, 3]);
        loaded.Rationale.ShouldBe("why");
        loaded.ShownOrder.Length.ShouldBe(3);
    }
}
