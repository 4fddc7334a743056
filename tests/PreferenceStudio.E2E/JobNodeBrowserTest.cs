namespace PreferenceStudio.E2E;

/// <summary>A browser test whose app is also the job node (single-node mode), over a store folder of its own.</summary>
public abstract class JobNodeBrowserTest : BrowserTest
{
    protected string Store { get; } = Path.Combine(Path.GetTempPath(), "ps-e2e-store-" + Guid.NewGuid().ToString("N"));

    protected override AppServer CreateApp(string connectionString) => new(connectionString, executeJobsWithStore: Store);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Store))
            Directory.Delete(Store, recursive: true);
    }
}
