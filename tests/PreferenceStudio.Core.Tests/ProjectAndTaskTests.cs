using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Tasks;
using static PreferenceStudio.Core.Tests.Builders;

namespace PreferenceStudio.Core.Tests;

public class ProjectAndTaskTests
{
    [Theory]
    [InlineData(0, 30, 0.1)]
    [InlineData(17, 30, 0.1)]
    [InlineData(2, 0, 0.1)]
    [InlineData(2, 30, 1.5)]
    public void ConfigureAssignment_OutOfRange_IsRefused(int overlap, int leaseMinutes, double goldRate) =>
        Should.Throw<DomainException>(() => Project().ConfigureAssignment(overlap, TimeSpan.FromMinutes(leaseMinutes), goldRate));

    [Fact]
    public void AddPrinciple_DuplicateKey_IsRefused()
    {
        var project = Project();
        project.AddPrinciple("factual", "No factual errors.");
        Should.Throw<DomainException>(() => project.AddPrinciple("factual", "Again.")).Message.ShouldContain("factual");
    }

    [Fact]
    public void NewTask_KindTheProjectDoesNotCollect_IsRefused() =>
        Should.Throw<DomainException>(() => new AnnotationTask(Project(FeedbackKinds.Pairwise), 1, TaskKind.Ranking, [1, 2, 3]));

    [Theory]
    [InlineData(TaskKind.Pairwise, 3)]
    [InlineData(TaskKind.Ranking, 2)]
    [InlineData(TaskKind.Ranking, 10)]
    public void NewTask_WrongNumberOfResponses_IsRefused(TaskKind kind, int count) =>
        Should.Throw<DomainException>(() => new AnnotationTask(Project(), 1, kind, Enumerable.Range(1, count).ToList()));

    [Fact]
    public void RecordAnnotation_ReachingTheOverlap_CompletesTheTaskAndRefusesMore()
    {
        var project = Project();
        project.ConfigureAssignment(overlap: 2, TimeSpan.FromMinutes(30), goldRate: 0);
        var task = new AnnotationTask(project, 1, TaskKind.Pairwise, [1, 2]);

        task.RecordAnnotation();
        task.State.ShouldBe(TaskState.Open);
        task.RecordAnnotation();
        task.State.ShouldBe(TaskState.Complete);
        Should.Throw<DomainException>(task.RecordAnnotation);
    }

    [Fact]
    public void Retire_Twice_IsRefused()
    {
        var task = new AnnotationTask(Project(), 1, TaskKind.Pairwise, [1, 2]);
        task.Retire();
        Should.Throw<DomainException>(task.Retire);
    }
}
