using Microsoft.Extensions.DependencyInjection;

namespace PreferenceStudio.Annotating;

public static class AnnotationServiceExtensions
{
    /// <summary>The annotation use cases: the task queue, submit handling and what an annotator is shown.</summary>
    public static IServiceCollection AddAnnotation(this IServiceCollection services)
    {
        services.AddScoped<AnnotationQueue>();
        services.AddScoped<SubmitService>();
        services.AddScoped<TaskViewQuery>();
        services.AddScoped<ProjectChoiceQuery>();
        return services;
    }
}
