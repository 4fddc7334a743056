using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PreferenceStudio.LabelBench;

/// <summary>
/// Counts the round trips one context makes to PostgreSQL: every command, and every commit or rollback (Npgsql sends
/// BEGIN with the first command, so it costs no trip of its own). One instance serves every context (a new one per
/// context would make EF build a service provider per context); each context is counted apart, by one task at a time.
/// </summary>
internal sealed class RoundTripCounter : DbCommandInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentDictionary<DbContext, StrongBox<long>> _counts = new();

    public long CountOf(DbContext context) => _counts.GetOrAdd(context, _ => new StrongBox<long>()).Value;

    private void Add(DbContext? context)
    {
        if (context is not null)
            _counts.GetOrAdd(context, _ => new StrongBox<long>()).Value++;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Add(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Add(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Add(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public ValueTask TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Add(eventData.Context);
        return ValueTask.CompletedTask;
    }

    public ValueTask TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Add(eventData.Context);
        return ValueTask.CompletedTask;
    }
}
