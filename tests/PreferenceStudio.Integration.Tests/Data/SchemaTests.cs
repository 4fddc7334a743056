using Microsoft.EntityFrameworkCore;
using PreferenceStudio.Testing;

namespace PreferenceStudio.Integration.Tests.Data;

public class SchemaTests
{
    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesEveryTableOfTheModel()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await using var db = database.CreateContext();

        (await db.Database.GetPendingMigrationsAsync()).ShouldNotBeEmpty();
        await db.Database.MigrateAsync();

        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        var tables = await db.Database.SqlQuery<string>($"SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").ToListAsync();
        var modelTables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
        modelTables.Count.ShouldBeGreaterThan(20);
        foreach (var table in modelTables)
            tables.ShouldContain(table);
    }

    [Fact]
    public async Task Model_ComparedWithTheMigrations_HasNoPendingChanges()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        db.Database.HasPendingModelChanges().ShouldBeFalse("run scripts/add-migration.sh after changing the model");
    }
}
