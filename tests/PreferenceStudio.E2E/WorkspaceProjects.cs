using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Testing;

namespace PreferenceStudio.E2E;

/// <summary>Small projects made straight in the database for one workspace test each.</summary>
public static class WorkspaceProjects
{
    /// <summary>A pairwise project with one task per (prompt, two responses) given; returns the task ids in order.</summary>
    public static async Task<List<long>> PairwiseAsync(TestDatabase database, string slug, string? guidelines, params (string Prompt, string A, string B)[] prompts)
    {
        await using var db = database.CreateContext();
        var project = new Project("Pairwise " + slug, slug, FeedbackKinds.Pairwise);
        if (guidelines is not null)
            project.WriteGuidelines(guidelines);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var tasks = new List<AnnotationTask>();
        foreach (var (text, a, b) in prompts)
        {
            var prompt = new Prompt(project.Id, [new ChatTurn("user", text)]);
            prompt.AddResponse(a, "model-a");
            prompt.AddResponse(b, "model-b");
            db.Prompts.Add(prompt);
            await db.SaveChangesAsync();
            var task = new AnnotationTask(project, prompt.Id, TaskKind.Pairwise, prompt.Responses.Select(r => r.Id).ToList());
            db.Tasks.Add(task);
            tasks.Add(task);
        }
        await db.SaveChangesAsync();
        return tasks.Select(t => t.Id).ToList();
    }
}
