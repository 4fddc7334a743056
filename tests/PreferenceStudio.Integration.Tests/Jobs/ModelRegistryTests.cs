using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using PreferenceStudio.Core.Training;
using PreferenceStudio.Jobs;
using PreferenceStudio.Jobs.Training;
using PreferenceStudio.Models;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Jobs;

public sealed class ModelRegistryTests : IAsyncLifetime
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "ps-registry-" + Guid.NewGuid().ToString("N"));
    private TestDatabase _database = default!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_store))
            Directory.Delete(_store, recursive: true);
    }

    private ModelRegistry Registry(PreferenceStudio.Data.PreferenceStudioDbContext db) =>
        new(db, Options.Create(new StorageOptions { Root = _store }), new HostingEnvironment { ContentRootPath = _store });

    [Fact]
    public async Task RegisterAsync_CompleteCheckpointFolder_RecordsAPolicyModel()
    {
        TinyCheckpoints.Create(Path.Combine(_store, "models", "gpt"), "gpt2");
        await using var db = _database.CreateContext();

        var (version, errors) = await Registry(db).RegisterAsync("my gpt", "models/gpt", default);

        errors.ShouldBeEmpty();
        version!.Kind.ShouldBe(ModelKind.Policy);
        version.Origin.ShouldBe(ModelOrigin.Base);
        (await db.ModelVersions.AsNoTracking().SingleAsync()).CheckpointPath.ShouldBe("models/gpt");
    }

    [Fact]
    public async Task RegisterAsync_FolderWithoutTokenizerAndANameInUse_NamesBothAndRecordsNothing()
    {
        var folder = Path.Combine(_store, "models", "gpt");
        TinyCheckpoints.Create(folder, "gpt2");
        File.Delete(Path.Combine(folder, "tokenizer.json"));
        await using var db = _database.CreateContext();
        db.ModelVersions.Add(new ModelVersion("taken", ModelKind.Policy, "elsewhere"));
        await db.SaveChangesAsync();

        var (version, errors) = await Registry(db).RegisterAsync("taken", folder, default);

        version.ShouldBeNull();
        errors.ShouldContain(e => e.EndsWith("no tokenizer.json", StringComparison.Ordinal));
        errors.ShouldContain("name: a model version is already called 'taken'");
        (await db.ModelVersions.CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task RegisterAsync_MissingFolder_SaysSo()
    {
        await using var db = _database.CreateContext();
        var (_, errors) = await Registry(db).RegisterAsync("x", "models/none", default);
        errors.Single().ShouldEndWith("no such folder");
    }

    [Fact]
    public async Task EnsureDemoBaseModelAsync_Twice_MakesAndRecordsOneLoadableModel()
    {
        await using var db = _database.CreateContext();

        (await Registry(db).EnsureDemoBaseModelAsync(default)).ShouldBeTrue();
        (await Registry(db).EnsureDemoBaseModelAsync(default)).ShouldBeFalse();

        var version = await db.ModelVersions.SingleAsync();
        version.Name.ShouldBe(ModelRegistry.DemoModelName);
        version.Origin.ShouldBe(ModelOrigin.Base);
        version.ParentId.ShouldBeNull();
        using var model = CausalLM.FromPretrained(Path.Combine(_store, version.CheckpointPath));
        model.ModelType.ShouldBe("qwen2");
    }
}
