using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Endpoints;

public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        var research = app.MapGroup("").RequireAuthorization(Policies.Research);
        research.MapGet("/exports/{id:long}/file", DownloadAsync);
        return app;
    }

    private static async Task<Results<PhysicalFileHttpResult, NotFound<string>>> DownloadAsync(long id, PreferenceStudioDbContext db, CancellationToken ct)
    {
        var export = await db.DatasetExports.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (export is not { State: RunState.Succeeded, FilePath: { } path } || !File.Exists(path))
            return TypedResults.NotFound($"Export {id} has no file (yet): it is missing, still running or failed.");
        var slug = await db.Projects.Where(p => p.Id == export.ProjectId).Select(p => p.Slug).SingleAsync(ct);
        return TypedResults.PhysicalFile(path, "application/jsonl", $"{slug}-{export.Format}-{export.Id}.jsonl");
    }
}
