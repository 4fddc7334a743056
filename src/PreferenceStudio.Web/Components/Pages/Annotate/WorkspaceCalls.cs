using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Hosting;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// The annotation use cases as the workspace calls them over its circuit. A circuit lives for hours and its events
/// may overlap (a lease renewal while a submit runs), so each call gets its own scope, hence its own DbContext.
/// The caller is whoever the circuit's authentication state says now, checked against the Annotate policy on every
/// call: a page's parameters or a replayed event never choose whose assignment is touched.
/// </summary>
public sealed class WorkspaceCalls(ScopedOperations operations, AuthenticationStateProvider auth, IAuthorizationService authorization)
{
    /// <summary>The signed-in annotator's id, or null when the circuit's user may no longer annotate.</summary>
    public async Task<string?> AnnotatorAsync()
    {
        var user = (await auth.GetAuthenticationStateAsync()).User;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null || !(await authorization.AuthorizeAsync(user, Policies.Annotate)).Succeeded)
            return null;
        return id;
    }

    public Task<Project?> ProjectAsync(string slug) => With<TaskViewQuery, Project?>(q => q.ProjectAsync(slug));
    public Task<TaskView?> ViewAsync(Project project, long taskId, string me) => With<TaskViewQuery, TaskView?>(q => q.LoadAsync(project, taskId, me));
    public Task<Lease?> NextAsync(Project project, string me) => With<AnnotationQueue, Lease?>(q => q.NextAsync(project, me));
    public Task<bool> HasStartedAsync(int projectId, string me) => With<AnnotationQueue, bool>(q => q.HasStartedAsync(projectId, me));
    public Task<Progress> ProgressAsync(int projectId, string me) => With<AnnotationQueue, Progress>(q => q.ProgressAsync(projectId, me));
    public Task<long?> PreviousTaskAsync(int projectId, string me) => With<AnnotationQueue, long?>(q => q.PreviousTaskAsync(projectId, me));
    public Task<QueueOutcome> SkipAsync(long assignmentId, string me, string? reason) => With<AnnotationQueue, QueueOutcome>(q => q.SkipAsync(assignmentId, me, reason));
    public Task<QueueOutcome> RenewAsync(long assignmentId, string me) => With<AnnotationQueue, QueueOutcome>(q => q.RenewAsync(assignmentId, me));

    /// <summary>A first label for a leased task ("a{id}" targets) or a new version of a stored one ("t{id}").</summary>
    public Task<SubmitOutcome> SubmitAsync(string target, string me, SubmitRequest request) =>
        With<SubmitService, SubmitOutcome>(s => target[0] == 'a'
            ? s.SubmitAsync(long.Parse(target[1..], System.Globalization.CultureInfo.InvariantCulture), me, request)
            : s.ReviseAsync(long.Parse(target[1..], System.Globalization.CultureInfo.InvariantCulture), me, request));

    public Task<IReadOnlyList<ProjectChoice>> ProjectsAsync(string me) => With<ProjectChoiceQuery, IReadOnlyList<ProjectChoice>>(q => q.ForAnnotatorAsync(me));

    private Task<TResult> With<TService, TResult>(Func<TService, Task<TResult>> call) where TService : notnull =>
        operations.RunAsync(call);
}
