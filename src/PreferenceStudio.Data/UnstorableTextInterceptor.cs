using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PreferenceStudio.Core;

namespace PreferenceStudio.Data;

/// <summary>Text that PostgreSQL cannot store reached SaveChanges; the message names the entity and the property.</summary>
public sealed class UnstorableTextException(string message) : Exception(message);

/// <summary>
/// The last line behind the checks at each way in (JSON bodies, forms, imports, the use cases): before anything is
/// written, every added or changed text property is held to <see cref="StorableText"/>, so text that slipped past
/// them fails with a message naming where it is, and nothing of the unit of work is stored, instead of PostgreSQL
/// refusing it with 22021 half-way through a batch.
/// </summary>
public sealed class UnstorableTextInterceptor : SaveChangesInterceptor
{
    public static readonly UnstorableTextInterceptor Instance = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? context)
    {
        if (context is null)
            return;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
                continue;
            foreach (var property in entry.Properties)
                if (IsWritten(entry, property) && property.CurrentValue is string text && StorableText.Problem(text) is { } problem)
                    throw new UnstorableTextException($"{entry.Metadata.ClrType.Name}.{property.Metadata.Name} {problem} Nothing was saved.");
        }
    }

    private static bool IsWritten(EntityEntry entry, PropertyEntry property) =>
        entry.State == EntityState.Added || property.IsModified;
}
