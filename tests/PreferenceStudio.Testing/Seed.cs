using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;

namespace PreferenceStudio.Testing;

/// <summary>Small, explicit fixtures written through the real model.</summary>
public static class Seed
{
    public static async Task<ApplicationUser> UserAsync(PreferenceStudioDbContext db, string name)
    {
        var user = new ApplicationUser { UserName = name, NormalizedUserName = name.ToUpperInvariant(), Email = name, DisplayName = name };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    /// <summary>A pairwise-only project of <paramref name="taskCount"/> two-response tasks; the benches' workload.</summary>
    public static async Task<(int ProjectId, Dictionary<long, (int A, int B)> Pairs)> PairwiseProjectAsync(
        PreferenceStudioDbContext db, int taskCount, int overlap = 2, string slug = "bench")
    {
        var project = new Project("Bench " + slug, slug, FeedbackKinds.Pairwise);
        project.ConfigureAssignment(overlap, TimeSpan.FromMinutes(30), goldRate: 0);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var prompts = Enumerable.Range(0, taskCount).Select(i =>
        {
            var prompt = new Prompt(project.Id, [new ChatTurn("user", $"Question {i}?")], $"q{i}");
            prompt.AddResponse($"Answer A to {i}.", "model-a");
            prompt.AddResponse($"Answer B to {i}.", "model-b");
            return prompt;
        }).ToList();
        db.Prompts.AddRange(prompts);
        await db.SaveChangesAsync();
        var tasks = prompts.Select(p => new AnnotationTask(project, p.Id, TaskKind.Pairwise, p.Responses.Select(r => r.Id).ToList())).ToList();
        db.Tasks.AddRange(tasks);
        await db.SaveChangesAsync();
        return (project.Id, tasks.ToDictionary(t => t.Id, t => (t.Responses[0].ResponseId, t.Responses[1].ResponseId)));
    }

    public static async Task<(Project Project, Prompt Prompt, AnnotationTask Task)> PairwiseTaskAsync(PreferenceStudioDbContext db, int overlap = 2, string slug = "p")
    {
        var project = new Project("Project " + slug, slug, FeedbackKinds.Pairwise | FeedbackKinds.Ranking | FeedbackKinds.Span | FeedbackKinds.Principle);
        project.ConfigureAssignment(overlap, TimeSpan.FromMinutes(30), 0);
        project.AddPrinciple("factual", "No factual errors.");
        project.AddSpanLabel("factual-error", "Factual error", "False claim");
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var prompt = new Prompt(project.Id, [new ChatTurn("user", "Why is the sky blue?")], externalId: "q1");
        prompt.AddResponse("Rayleigh scattering.", "model-a");
        prompt.AddResponse("Ocean reflection.", "model-b");
        prompt.AddResponse("Because <b>blue</b>.", "model-c");
        db.Prompts.Add(prompt);
        await db.SaveChangesAsync();
        var task = new AnnotationTask(project, prompt.Id, TaskKind.Pairwise, prompt.Responses.Take(2).Select(r => r.Id).ToList());
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return (project, prompt, task);
    }
}
