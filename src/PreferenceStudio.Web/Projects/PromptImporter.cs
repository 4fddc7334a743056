using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PreferenceStudio.Core.Import;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Core.Prompts;
using PreferenceStudio.Core.Tasks;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

public sealed record ImportResult(int Prompts, int Responses, int Tasks, IReadOnlyList<string> SkippedIds, IReadOnlyList<ImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
    public static ImportResult Failed(IEnumerable<ImportError> errors) => new(0, 0, 0, [], errors.ToList());

    /// <summary>A refusal of the whole file rather than of one of its lines (line 0: no line).</summary>
    public static ImportResult Refused(string message) => Failed([new ImportError(0, "", message)]);
}

/// <summary>
/// Loads a JSON Lines file of prompts and responses into a project and makes its tasks: all of it in one
/// transaction or nothing. Prompts whose id the project already has are skipped, so a file can be imported again
/// after it was extended.
/// </summary>
public sealed class PromptImporter(AccessGate gate, IServiceScopeFactory scopes)
{
    public async Task<ImportResult> ImportAsync(ClaimsPrincipal user, int projectId, Stream file, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
            return ImportResult.Refused($"There is no project {projectId} (any more).");

        var (parsed, errors) = PromptFileParser.Parse(file, project);
        if (errors.Count > 0)
            return ImportResult.Failed(errors);

        var ids = parsed.Select(p => p.ExternalId).ToList();
        var existing = (await db.Prompts.Where(p => p.ProjectId == project.Id && ids.Contains(p.ExternalId!))
            .Select(p => p.ExternalId!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var fresh = parsed.Where(p => !existing.Contains(p.ExternalId)).ToList();

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var prompts = fresh.Select(p => (Source: p, Entity: ToPrompt(project, p))).ToList();
            db.Prompts.AddRange(prompts.Select(p => p.Entity));
            await db.SaveChangesAsync(cancellationToken);

            var tasks = prompts.SelectMany(p => TasksFor(project, p.Source, p.Entity)).ToList();
            db.Tasks.AddRange(tasks);
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return new ImportResult(prompts.Count, prompts.Sum(p => p.Entity.Responses.Count), tasks.Count, existing.Order().ToList(), []);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ImportResult.Refused("Another import added some of these prompts at the same moment; nothing from this file was stored. Import it again: what is there already is skipped.");
        }
    }

    private static Prompt ToPrompt(Project project, ImportedPrompt source)
    {
        var prompt = new Prompt(project.Id, source.Conversation, source.ExternalId, source.MetadataJson);
        foreach (var response in source.Responses)
            prompt.AddResponse(response.Text, response.Source, metadataJson: response.MetadataJson);
        return prompt;
    }

    /// <summary>Pairwise and ranking tasks compare all the responses; span and principle tasks judge one response each.</summary>
    private static IEnumerable<AnnotationTask> TasksFor(Project project, ImportedPrompt source, Prompt prompt)
    {
        var responseIds = prompt.Responses.Select(r => r.Id).ToList();
        foreach (var kind in source.Kinds)
        {
            if (kind is TaskKind.Span or TaskKind.Principle)
                foreach (var id in responseIds)
                    yield return new AnnotationTask(project, prompt.Id, kind, [id], source.Priority);
            else
                yield return new AnnotationTask(project, prompt.Id, kind, responseIds, source.Priority);
        }
    }
}
