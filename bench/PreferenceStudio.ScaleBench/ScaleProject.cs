using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Testing;

namespace PreferenceStudio.ScaleBench;

/// <summary>The seeded project, and annotators new to it (each run of a bench makes its own).</summary>
internal static class ScaleProject
{
    public static async Task<(int ProjectId, List<string> Annotators)> FreshAnnotatorsAsync(string connection, int count, string prefix)
    {
        await using var db = TestDatabase.CreateContext(connection);
        var projectId = await db.Projects.Where(p => p.Slug == SeedCommand.Slug).Select(p => p.Id).SingleAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var users = new List<string>();
        for (var i = 0; i < count; i++)
            users.Add((await Seed.UserAsync(db, $"{prefix}-{run}-{i}@example.org")).Id);
        return (projectId, users);
    }
}
