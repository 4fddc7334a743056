using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Jobs.Export;

namespace PreferenceStudio.Web.Projects;

/// <summary>A project's dataset exports: the recent ones, and starting a new one (a worker writes it).</summary>
public sealed class ProjectExports(ResearchGate gate, IServiceScopeFactory scopes)
{
    public const int Recent = 20;

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

    public async Task<IReadOnlyList<DatasetExport>> RecentAsync(ClaimsPrincipal user, int projectId, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PreferenceStudioDbContext>();
        return await db.DatasetExports.AsNoTracking().Where(e => e.ProjectId == projectId)
            .OrderByDescending(e => e.Id).Take(Recent).ToListAsync(cancellationToken);
    }

    /// <summary>Records the export and enqueues its job; the export says "failed" with the reason when no job could be enqueued.</summary>
    public async Task<DatasetExport> StartAsync(ClaimsPrincipal user, int projectId, ExportFormat format, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, cancellationToken);
        if (!Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(format), format, "There is no such export format.");
        await using var scope = scopes.CreateAsyncScope();
        var launcher = scope.ServiceProvider.GetRequiredService<ExportLauncher>();
        return await launcher.LaunchAsync(projectId, format, user.Identity?.Name ?? "?", cancellationToken);
    }
}
