namespace PreferenceStudio.Web.Training;

public static class TrainingExtensions
{
    /// <summary>The training pages' services, and the listener that pushes run changes from PostgreSQL to their circuits.</summary>
    public static IServiceCollection AddTrainingPages(this IServiceCollection services)
    {
        // Stateless over the context factory: one for the node, each call with a context of its own.
        services.AddSingleton<TrainingQuery>();
        services.AddSingleton<PpoCurves>();
        services.AddScoped<TrainingActions>();
        services.AddSingleton<RunCheckpoints>();
        services.AddSingleton<RewardKindResultsQuery>();
        services.AddSingleton<TokenRewardScorer>();
        services.AddSingleton<RunChangeFeed>();
        services.AddSingleton<RunChangeListener>();
        services.AddHostedService(sp => sp.GetRequiredService<RunChangeListener>());
        return services;
    }
}
