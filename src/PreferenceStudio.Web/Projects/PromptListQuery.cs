using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

public sealed record PromptRow(int Id, string? ExternalId, string Text, int Responses, int Tasks, int Labels, DateTimeOffset CreatedAt);

/// <summary>A project's prompts, one page at a time: searched by id and by the text of the conversation, in SQL.</summary>
public sealed class PromptListQuery(AccessGate gate, IDbContextFactory<PreferenceStudioDbContext> contexts)
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
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
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
        var page = await rows.SortBy(request)
            .Column(Columns.ExternalId, r => r.ExternalId)
            .Column(Columns.Tasks, r => r.Tasks)
            .Column(Columns.Labels, r => r.Labels)
            .Otherwise(r => r.Id).ThenBy(r => r.Id)
            .PageOf(request).ToListAsync(cancellationToken);
        return new Paged<PromptRow>(page.Select(p => new PromptRow(p.Id, p.ExternalId, Preview(p.Conversation[^1].Content),
            p.Responses, p.Tasks, p.Labels, p.CreatedAt)).ToList(), total);
    }

    private static string Preview(string text) => text.Length <= PreviewLength ? text : text[..PreviewLength] + "…";
}
