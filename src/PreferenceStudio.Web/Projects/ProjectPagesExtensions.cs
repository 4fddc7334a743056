namespace PreferenceStudio.Web.Projects;

public static class ProjectPagesExtensions
{
    /// <summary>The use cases behind the project, quality and home pages; each opens its own scope per call, as a circuit lives long.</summary>
    public static IServiceCollection AddProjectPages(this IServiceCollection services)
    {
        services.AddScoped<ProjectListQuery>();
        services.AddScoped<ProjectCreator>();
        services.AddScoped<PromptImporter>();
        services.AddScoped<ProjectOverviewQuery>();
        services.AddScoped<PromptListQuery>();
        services.AddScoped<TaskListQuery>();
        services.AddScoped<ProjectExports>();
        services.AddScoped<GuidelinesEditor>();
        services.AddScoped<RetrainScheduler>();
        services.AddScoped<HomeQuery>();
        services.AddScoped<Quality.ProjectQualityQuery>();
        services.AddSingleton<Quality.QualitySnapshots>();
        return services;
    }
}
