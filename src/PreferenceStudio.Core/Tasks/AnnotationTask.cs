using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Core.Tasks;

/// <summary>A unit of work: one prompt and the responses to judge, of one feedback kind.</summary>
public sealed class AnnotationTask
{
    public const int MaxRankedResponses = 9;

    private readonly List<TaskResponse> _responses = [];

    private AnnotationTask() { }

    public AnnotationTask(Project project, int promptId, TaskKind kind, IReadOnlyList<int> responseIds, int priority = 0)
    {
        if (!project.Collects(kind))
            throw new DomainException($"Project '{project.Slug}' does not collect {kind} feedback.");
        if (responseIds.Distinct().Count() != responseIds.Count)
            throw new DomainException("A task lists each response once.");
        var (min, max) = ResponseCountRange(kind);
        if (responseIds.Count < min || responseIds.Count > max)
            throw new DomainException($"A {kind} task takes {min} to {max} responses, got {responseIds.Count}.");
        ProjectId = project.Id;
        PromptId = promptId;
        Kind = kind;
        Priority = priority;
        RequiredAnnotations = project.Overlap;
        for (var i = 0; i < responseIds.Count; i++)
            _responses.Add(new TaskResponse(responseIds[i], i));
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public long Id { get; private set; }
    public int ProjectId { get; private set; }
    public int PromptId { get; private set; }
    public TaskKind Kind { get; private set; }
    public TaskState State { get; private set; }
    public int Priority { get; private set; }
    public int RequiredAnnotations { get; private set; }
    public int CompletedAnnotations { get; private set; }
    public bool IsGold { get; private set; }

    /// <summary>For gold tasks, the expected answer in the kind's JSON answer shape.</summary>
    public string? GoldAnswerJson { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public IReadOnlyList<TaskResponse> Responses => _responses;

    public static (int Min, int Max) ResponseCountRange(TaskKind kind) => kind switch
    {
        TaskKind.Pairwise => (2, 2),
        TaskKind.Ranking => (3, MaxRankedResponses),
        TaskKind.Span => (1, 4),
        TaskKind.Principle => (1, 4),
        _ => throw new DomainException($"Unknown task kind {kind}."),
    };

    public void MarkGold(string expectedAnswerJson)
    {
        if (string.IsNullOrWhiteSpace(expectedAnswerJson))
            throw new DomainException("A gold task needs its expected answer.");
        IsGold = true;
        GoldAnswerJson = expectedAnswerJson;
    }

    public void Reprioritize(int priority) => Priority = priority;

    /// <summary>Counts one more distinct annotator's label; the task completes when the overlap is reached.</summary>
    public void RecordAnnotation()
    {
        if (State != TaskState.Open)
            throw new DomainException($"Task {Id} is {State} and takes no more annotations.");
        CompletedAnnotations++;
        if (CompletedAnnotations >= RequiredAnnotations)
            State = TaskState.Complete;
    }

    public void Retire()
    {
        if (State == TaskState.Retired)
            throw new DomainException($"Task {Id} is already retired.");
        State = TaskState.Retired;
    }
}
