using System.Security.Claims;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Security;

namespace PreferenceStudio.Web.Quality;

/// <summary>
/// Agreement and throughput of a project's current labels: Krippendorff's alpha per kind, how often each annotator
/// agrees with the others on which response of a pair is better, and labels per day. Computed in PostgreSQL
/// (<see cref="QualityFigures"/>) and, for a big project, served from a snapshot (<see cref="QualitySnapshots"/>).
/// </summary>
public sealed class ProjectQualityQuery(AccessGate gate, QualitySnapshots snapshots)
{
    public const int Days = QualityFigures.Days;

    public async Task<QualityView> GetAsync(ClaimsPrincipal user, int projectId, CancellationToken cancellationToken)
    {
        await gate.RequireAsync(user, Policies.Research, cancellationToken);
        return await snapshots.ViewAsync(projectId, cancellationToken);
    }
}
