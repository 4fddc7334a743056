namespace PreferenceStudio.Web.Components;

/// <summary>
/// Runs one use case in a service scope of its own. An interactive page lives as long as its circuit, and the
/// circuit's scope would give it one DbContext for hours, shared by overlapping events (a lease renewal timer and a
/// submit); a scope per operation gives each its own context, disposed when the operation ends.
/// </summary>
public sealed class ScopedOperations(IServiceScopeFactory scopes)
{
    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> operation) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync<TService>(Func<TService, Task> operation) where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        await operation(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
