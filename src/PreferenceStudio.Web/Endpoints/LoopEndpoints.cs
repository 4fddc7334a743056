using System.IO.Compression;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Data;
using PreferenceStudio.Web.Hosting;
using PreferenceStudio.Web.Loop;

namespace PreferenceStudio.Web.Endpoints;

/// <summary>The loop's exports: a round's pairs (TRL preference JSON Lines) and a model version as a Hugging Face folder (zip).</summary>
public static class LoopEndpoints
{
    public static IEndpointRouteBuilder MapLoopEndpoints(this IEndpointRouteBuilder app)
    {
        var research = app.MapGroup("").RequireAuthorization(Policies.Research);
        research.MapGet("/rounds/{id:long}/pairs", PairsAsync);
        research.MapGet("/models/{id:int}/download", ModelAsync);
        return app;
    }

    public static string PairsUrl(long roundId) => $"/rounds/{roundId}/pairs";

    public static string ModelUrl(int modelId) => $"/models/{modelId}/download";

    private static async Task<Results<PhysicalFileHttpResult, NotFound<string>>> PairsAsync(
        long id, PreferenceStudioDbContext db, StoreFiles files, CancellationToken ct)
    {
        var round = await db.LoopRounds.AsNoTracking().Where(r => r.Id == id)
            .Select(r => new { r.Number, Slug = db.Projects.Where(p => p.Id == r.ProjectId).Select(p => p.Slug).First() })
            .FirstOrDefaultAsync(ct);
        if (round is null)
            return TypedResults.NotFound($"There is no round {id}.");
        var path = files.PairsFile(id);
        if (!File.Exists(path))
            return TypedResults.NotFound($"Round {round.Number} has not written its pairs yet: its pairs stage writes them when it ends.");
        return TypedResults.PhysicalFile(path, "application/jsonl", $"{round.Slug}-round-{round.Number}-pairs.jsonl");
    }

    /// <summary>
    /// The checkpoint folder (config.json, model.safetensors, tokenizer.json) as a zip. It is written to a temporary file
    /// first, deleted when the answer is sent: the zip writer needs a stream it may write to synchronously, and a
    /// response body is not one.
    /// </summary>
    private static async Task<Results<FileStreamHttpResult, NotFound<string>>> ModelAsync(
        int id, PreferenceStudioDbContext db, StoreFiles files, CancellationToken ct)
    {
        var model = await db.ModelVersions.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.Name, m.CheckpointPath }).FirstOrDefaultAsync(ct);
        if (model is null)
            return TypedResults.NotFound($"There is no model version {id}.");
        var folder = files.ModelFolder(model.CheckpointPath);
        if (!Directory.Exists(folder))
            return TypedResults.NotFound($"Model version {id}'s checkpoint folder is not in the model store.");
        var zip = new FileStream(Path.Combine(Path.GetTempPath(), $"ps-model-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await ZipFile.CreateFromDirectoryAsync(folder, zip, CompressionLevel.Fastest, includeBaseDirectory: true, ct);
            zip.Position = 0;
        }
        catch
        {
            await zip.DisposeAsync();
            throw;
        }
        return TypedResults.File(zip, "application/zip", $"model-{id}-{FileNamePart(model.Name)}.zip");
    }

    // A model's name is free text: only letters, digits, '-' and '.' reach the file name.
    private static string FileNamePart(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '-').Take(80).ToArray());
}
