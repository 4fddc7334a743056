using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;

namespace PreferenceStudio.Web.Projects;

public sealed record PromptRow(int Id, string? ExternalId, string Text, int Responses, int Tasks, int Labels, DateTimeOffset CreatedAt);

/// <summary>A project's prompts, one page at a time: searched by id and by the text of the conversation, in SQL.</summary>
public sealed class PromptListQuery(ResearchGate gate, IDbContextFactory<PreferenceStudioDbContext> contexts)
{
    public const int PreviewLength = 160;

    public static class Columns
    {
        public const string Id = nameof(PromptRow.Id);
        public const string ExternalId = nameof(PromptRow.ExternalId);
        public const string Tasks = nameof(PromptRow.Tasks);
        public const string Labels = nameof(PromptRow.Labels);
    }

    public async Task<Paged<PromptRow>> PageAsync(ClaimsPrincipal user, int projectId, PageRequest request, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var prompts = db.Prompts.AsNoTracking().Where(p => p.ProjectId == projectId);
        if (request.SearchPattern is { } pattern)
            prompts = prompts.Where(p => EF.Functions.ILike(p.ExternalId ?? "", pattern, PageRequest.Escape)
                || p.Conversation.Any(turn => EF.Functions.ILike(turn.Content, pattern, PageRequest.Escape)));
        var total = await prompts.CountAsync(cancellationToken);
        var rows = prompts.Select(p => new
        {
            p.Id, p.ExternalId, p.CreatedAt, p.Conversation,
            Responses = db.Responses.Count(r => r.PromptId == p.Id),
            Tasks = db.Tasks.Count(t => t.PromptId == p.Id),
            Labels = db.Annotations.Count(a => a.SupersededAt == null && db.Tasks.Any(t => t.Id == a.TaskId && t.PromptId == p.Id)),
        });
        rows = (request.SortBy, request.Descending) switch
        {
            (Columns.ExternalId, false) => rows.OrderBy(r => r.ExternalId).ThenBy(r => r.Id),
            (Columns.ExternalId, true) => rows.OrderByDescending(r => r.ExternalId).ThenBy(r => r.Id),
            (Columns.Tasks, false) => rows.OrderBy(r => r.Tasks).ThenBy(r => r.Id),
            (Columns.Tasks, true) => rows.OrderByDescending(r => r.Tasks).ThenBy(r => r.Id),
            (Columns.Labels, false) => rows.OrderBy(r => r.Labels).ThenBy(r => r.Id),
            (Columns.Labels, true) => rows.OrderByDescending(r => r.Labels).ThenBy(r => r.Id),
            (_, true) => rows.OrderByDescending(r => r.Id),
            _ => rows.OrderBy(r => r.Id),
        };
        var (skip, take) = request.Window;
        var page = await rows.Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new Paged<PromptRow>(page.Select(p => new PromptRow(p.Id, p.ExternalId, Preview(p.Conversation[^1].Content),
            p.Responses, p.Tasks, p.Labels, p.CreatedAt)).ToList(), total);
    }

    private static string Preview(string text) => text.Length <= PreviewLength ? text : text[..PreviewLength] + "…";
}
