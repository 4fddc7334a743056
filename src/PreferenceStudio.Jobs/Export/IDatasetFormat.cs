using PreferenceStudio.Core.Training;
using PreferenceStudio.Data;

namespace PreferenceStudio.Jobs.Export;

/// <summary>One dataset layout: which current labels of a project it reads, and how it writes them.</summary>
public interface IDatasetFormat
{
    ExportFormat Format { get; }

    Task WriteAsync(PreferenceStudioDbContext db, int projectId, DatasetWriter writer, CancellationToken cancellationToken);
}
