namespace PreferenceStudio.Web.Projects;

/// <summary>
/// Reads an upload (a browser file streamed over the circuit) into memory in chunks, saying how far it got after each,
/// so the page can draw a progress bar; the importer then parses it from memory in one go.
/// </summary>
public static class UploadBuffer
{
    public const int ChunkBytes = 64 * 1024;

    /// <param name="size">The size the browser announced; progress is reported as a share of it, 0 to 1.</param>
    public static async Task<MemoryStream> ReadAsync(Stream source, long size, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream(capacity: (int)Math.Min(Math.Max(size, 0), int.MaxValue));
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            progress.Report(size <= 0 ? 1 : Math.Min(1, (double)buffer.Length / size));
        }
        progress.Report(1);
        buffer.Position = 0;
        return buffer;
    }
}
