using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Testing;
using PreferenceStudio.Annotating;

namespace PreferenceStudio.Integration.Tests.Annotation;

/// <summary>A fresh database with one project, its annotators and tasks; services built over real contexts.</summary>
public abstract class QueueFixture : IAsyncLifetime
{
    public const string EmojiText = "Pizza 🍕 is good, cafe\u0301 too 👩‍👩‍👧 ok.";

    protected TestDatabase Database { get; private set; } = default!;
    protected Project Project { get; private set; } = default!;
    protected Prompt Prompt { get; private set; } = default!;
    protected List<string> Annotators { get; } = [];

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected PreferenceStudioDbContext Db() => Database.CreateContext();

    protected static AnnotationQueue Queue(PreferenceStudioDbContext db) => new(db, TimeProvider.System, NullLogger<AnnotationQueue>.Instance);

    protected static SubmitService Submits(PreferenceStudioDbContext db) => new(db, TimeProvider.System);

    /// <summary>A project of every kind with <paramref name="annotators"/> annotators and one prompt of four responses.</summary>
    protected async Task SetUpAsync(int overlap, int annotators, double goldRate = 0, bool ties = false, string slug = "q")
    {
        await using var db = Db();
        Project = new Project("Queue " + slug, slug, FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Span | FeedbackKinds.Principle);
        Project.ConfigureAssignment(overlap, TimeSpan.FromMinutes(30), goldRate, ties);
        Project.AddPrinciple("honest", "Says nothing false.");
        Project.AddPrinciple("concise", "No padding.");
        Project.AddSpanLabel("factual-error", "Factual error", "A false claim");
        Project.AddSpanLabel("style", "Style", "Awkward wording", usesSeverity: false);
        db.Projects.Add(Project);
        await db.SaveChangesAsync();
        Prompt = new Prompt(Project.Id, [new ChatTurn("user", "Tell me about food.")], externalId: "food-" + slug);
        Prompt.AddResponse(EmojiText, "model-a");
        Prompt.AddResponse("Soup is warm.", "model-b");
        Prompt.AddResponse("<script>alert(1)</script>", "model-c");
        Prompt.AddResponse("Bread.", "model-d");
        db.Prompts.Add(Prompt);
        await db.SaveChangesAsync();
        for (var i = 0; i < annotators; i++)
            Annotators.Add((await Seed.UserAsync(db, $"annotator{i}-{slug}@test.local")).Id);
    }

    protected int[] ResponseIds => Prompt.Responses.Select(r => r.Id).ToArray();

    protected async Task<AnnotationTask> AddTaskAsync(TaskKind kind, int priority = 0, bool gold = false, int[]? responses = null)
    {
        await using var db = Db();
        var project = await db.Projects.SingleAsync(p => p.Id == Project.Id);
        var ids = responses ?? kind switch
        {
            TaskKind.Pairwise => ResponseIds[..2],
            TaskKind.Ranking => ResponseIds[..3],
            TaskKind.Span => ResponseIds[..1],
            _ => ResponseIds[..2],
        };
        var task = new AnnotationTask(project, Prompt.Id, kind, ids, priority);
        if (gold)
            task.MarkGold("""{"preference": -1}""");
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task;
    }

    protected async Task<Lease> LeaseAsync(string annotator)
    {
        await using var db = Db();
        return await Queue(db).NextAsync(Project, annotator) ?? throw new InvalidOperationException("No task left.");
    }

    /// <summary>Moves a lease's end into the past, as if its holder walked away.</summary>
    protected async Task ExpireAsync(long assignmentId)
    {
        await using var db = Db();
        await db.Database.ExecuteSqlAsync($"UPDATE assignments SET leased_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = {assignmentId}");
    }

    protected static SubmitRequest Pairwise(int a, int b, int preference = -1, Guid? key = null) =>
        new(key ?? Guid.NewGuid(), 1200, [a, b], "A is right.", Pairwise: new PairwiseAnswer(a, b, preference, false));
}
