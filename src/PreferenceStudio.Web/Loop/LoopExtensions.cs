namespace PreferenceStudio.Web.Loop;

public static class LoopExtensions
{
    /// <summary>The loop pages' services; their live updates come through the run listener's connection (<see cref="RoundChangeFeed"/>).</summary>
    public static IServiceCollection AddLoopPages(this IServiceCollection services)
    {
        services.AddSingleton<StoreFiles>();
        services.AddSingleton<LoopQuery>();
        services.AddScoped<LoopActions>();
        services.AddSingleton<RoundChangeFeed>();
        return services;
    }
}
