using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Projects;

namespace PreferenceStudio.Integration.Tests.Annotation;

public sealed class ProjectChoiceQueryTests : QueueFixture
{
    [Fact]
    public async Task ForAnnotatorAsync_TasksLeasedOrLabelledByThem_AreNoLongerCountedAsWaiting()
    {
        await SetUpAsync(overlap: 2, annotators: 2);
        for (var i = 0; i < 3; i++)
            await AddTaskAsync(TaskKind.Pairwise);
        await LeaseAsync(Annotators[0]);

        await using var db = Db();
        var query = new ProjectChoiceQuery(db);
        var first = await query.ForAnnotatorAsync(Annotators[0]);
        var second = await query.ForAnnotatorAsync(Annotators[1]);

        first.ShouldBe([new ProjectChoice(Project.Slug, Project.Name, 2)]);
        second.ShouldBe([new ProjectChoice(Project.Slug, Project.Name, 3)]);
    }
}
