using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Annotations;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Data;

/// <summary>The COPY seed of the scale bench, at a small size: its rows are the app's own, so queue, submit and export work on them.</summary>
public sealed class ScaleSeederTests : IAsyncLifetime
{
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task SeedAsync_SmallSize_WritesEveryRowAndTheAppWorksOnThem()
    {
        // 120 labels over 50 tasks: the first 20 tasks get 3 (the overlap, so complete), the other 30 get 2 (open).
        var result = await ScaleSeeder.SeedAsync(_database.ConnectionString, new ScaleSeedSize(50, 120, Annotators: 5, Overlap: 3), "small");

        await using var db = _database.CreateContext();
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.ProjectId == result.ProjectId).ToListAsync();
        tasks.Count.ShouldBe(50);
        tasks.Count(t => t.State == TaskState.Complete).ShouldBe(20);
        tasks.Sum(t => t.CompletedAnnotations).ShouldBe(120);
        tasks.ShouldAllBe(t => t.Responses.Count == 2 && t.RequiredAnnotations == 3);
        (await db.Prompts.CountAsync(p => p.ProjectId == result.ProjectId)).ShouldBe(50);
        (await db.Responses.CountAsync()).ShouldBe(100);
        (await db.Assignments.CountAsync(a => a.State == AssignmentState.Submitted)).ShouldBe(120);
        var labels = await db.Set<PairwiseAnnotation>().AsNoTracking().ToListAsync();
        labels.Count.ShouldBe(120);
        labels.ShouldAllBe(l => l.Version == 1 && l.IsCurrent && l.AssignmentId != null && l.ShownOrder.Length == 2);
        labels.GroupBy(l => (l.TaskId, l.AnnotatorId)).ShouldAllBe(g => g.Count() == 1);
        (await db.Prompts.AsNoTracking().FirstAsync()).Conversation.ShouldHaveSingleItem().Role.ShouldBe("user");
        result.Rows.ShouldBe(50 + 100 + 50 + 100 + 120 * 3 + 5 + 1);

        // The queue hands a new annotator the first open task, and the submit stores on top of the seeded rows.
        var newcomer = (await Seed.UserAsync(db, "newcomer@example.org")).Id;
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == result.ProjectId);
        var lease = (await new AnnotationQueue(db, TimeProvider.System, NullLogger<AnnotationQueue>.Instance).NextAsync(project, newcomer)).ShouldNotBeNull();
        lease.TaskId.ShouldBe(tasks.Where(t => t.State == TaskState.Open).Min(t => t.Id));
        lease.Slot.ShouldBe(3);
        var (a, b) = (tasks.Single(t => t.Id == lease.TaskId).Responses[0].ResponseId, tasks.Single(t => t.Id == lease.TaskId).Responses[1].ResponseId);
        var outcome = await new SubmitService(db, TimeProvider.System).SubmitAsync(lease.AssignmentId, newcomer,
            new SubmitRequest(Guid.NewGuid(), 1000, [a, b], null, new PairwiseAnswer(a, b, -1, false)));
        outcome.Receipt.ShouldNotBeNull().AnnotationId.ShouldBeGreaterThan(labels.Max(l => l.Id));

        // The export reads the seeded labels: one row per label with a preference that is not both-bad.
        var file = Path.Combine(Path.GetTempPath(), $"ps-scale-{Guid.NewGuid():N}.jsonl");
        try
        {
            var rows = await DatasetWriter.WriteFileAsync(new TrlPreferenceFormat(), db, result.ProjectId, file, CancellationToken.None);
            rows.ShouldBe(labels.Count(l => l.Preference != PairwisePreference.Tie && !l.BothBad) + 1);
            labels.ShouldContain(l => l.Preference == PairwisePreference.Tie);
            labels.ShouldContain(l => l.BothBad);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SeedAsync_MoreLabelsATaskThanTheOverlap_ThrowsNamingTheSize()
    {
        var error = await Should.ThrowAsync<ArgumentException>(() =>
            ScaleSeeder.SeedAsync(_database.ConnectionString, new ScaleSeedSize(10, 50, Annotators: 20, Overlap: 3), "over"));
        error.Message.ShouldContain("5 a task, more than the overlap 3");
    }
}
