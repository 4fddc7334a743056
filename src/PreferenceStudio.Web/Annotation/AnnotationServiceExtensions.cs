namespace PreferenceStudio.Web.Annotating;

public static class AnnotationServiceExtensions
{
    /// <summary>The annotator workspace: the task queue, submit handling and what the pages show.</summary>
    public static IServiceCollection AddAnnotation(this IServiceCollection services)
    {
        services.AddScoped<AnnotationQueue>();
        services.AddScoped<SubmitService>();
        services.AddScoped<TaskViewQuery>();
        services.AddSingleton<GuidelinesRenderer>();
        return services;
    }
}
