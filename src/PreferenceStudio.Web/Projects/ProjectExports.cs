using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;
using PreferenceStudio.Web.Grids;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Projects;

public sealed record ExportRow(
    long Id, ExportFormat Format, RunState State, int RowCount, string? Error, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    public bool IsFinished => State is RunState.Succeeded or RunState.Failed or RunState.Cancelled;
}

/// <summary>A project's dataset exports, a page at a time, and starting a new one (a worker writes it).</summary>
public sealed class ProjectExports(AccessGate gate, IDbContextFactory<PreferenceStudioDbContext> contexts, IServiceScopeFactory scopes)
{
    public static class Columns
    {
        public const string Id = nameof(ExportRow.Id);
        public const string Format = nameof(ExportRow.Format);
        public const string State = nameof(ExportRow.State);
        public const string RowCount = nameof(ExportRow.RowCount);
        public const string CreatedBy = nameof(ExportRow.CreatedBy);
    }

    public static string FormatName(ExportFormat format) => format switch
    {
        ExportFormat.TrlPreference => "TRL preference (prompt, chosen, rejected)",
        ExportFormat.TrlUnpaired => "TRL unpaired / KTO (prompt, completion, label)",
        ExportFormat.UltraFeedback => "UltraFeedback binarized (from rankings)",
        ExportFormat.HelpSteer => "HelpSteer3 preference",
        ExportFormat.FineGrainedSpans => "Fine-grained spans",
        ExportFormat.PrincipleFeedback => "Principle verdicts (RLBFF)",
        _ => format.ToString(),
    };

    /// <summary>A page of the project's exports, newest first unless sorted otherwise; the search matches who asked for it.</summary>
    public async Task<Paged<ExportRow>> PageAsync(ClaimsPrincipal user, int projectId, PageRequest request, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var exports = db.DatasetExports.AsNoTracking().Where(e => e.ProjectId == projectId);
        if (request.SearchPattern is { } pattern)
            exports = exports.Where(e => EF.Functions.ILike(e.CreatedBy, pattern, PageRequest.Escape));
        var total = await exports.CountAsync(cancellationToken);
        var rows = await exports.SortBy(request)
            .Column(Columns.Id, e => e.Id)
            .Column(Columns.Format, e => e.Format)
            .Column(Columns.State, e => e.State)
            .Column(Columns.RowCount, e => e.RowCount)
            .Column(Columns.CreatedBy, e => e.CreatedBy)
            .Otherwise(e => e.Id, descending: true).ThenByDescending(e => e.Id)
            .PageOf(request)
            .Select(e => new ExportRow(e.Id, e.Format, e.State, e.RowCount, e.Error, e.CreatedBy, e.CreatedAt, e.FinishedAt))
            .ToListAsync(cancellationToken);
        return new Paged<ExportRow>(rows, total);
    }

    /// <summary>Records the export and enqueues its job; the export says "failed" with the reason when no job could be enqueued.</summary>
    public async Task<DatasetExport> StartAsync(ClaimsPrincipal user, int projectId, ExportFormat format, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        if (!Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(format), format, "There is no such export format.");
        await using var scope = scopes.CreateAsyncScope();
        var launcher = scope.ServiceProvider.GetRequiredService<ExportLauncher>();
        return await launcher.LaunchAsync(projectId, format, user.Identity?.Name ?? "?", cancellationToken);
    }
}
