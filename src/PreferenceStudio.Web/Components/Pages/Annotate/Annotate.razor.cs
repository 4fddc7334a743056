using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using PreferenceStudio.Annotating;
using PreferenceStudio.Core.Projects;
using PreferenceStudio.Web.Annotating;
using PreferenceStudio.Web.Circuits;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>
/// The annotator workspace on the circuit. The prerender pass only reads (project, guidelines, progress); the lease is
/// taken once the circuit is live. After a submit or a skip the next task is swapped in on the same circuit. The
/// answer in progress lives in an <see cref="AnswerDraft"/>, written to the browser after every change, so a dropped
/// circuit or a reloaded tab finds it again, idempotency key included.
/// </summary>
public sealed partial class Annotate : IAsyncDisposable
{
    [Parameter] public string Slug { get; set; } = "";
    [Parameter] public long? TaskId { get; set; }
    [SupplyParameterFromQuery(Name = "start")] public bool Start { get; set; }

    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private GuidelinesRenderer Guidelines { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IOptions<CircuitSettings> Settings { get; set; } = default!;

    private enum PageState { Loading, NoProject, Intro, Message, Working }

    // Made here from registered parts, so the workspace needs no registrations of its own in the shared host.
    private WorkspaceCalls Calls => _calls ??= ActivatorUtilities.CreateInstance<WorkspaceCalls>(Services);
    private DraftStore Drafts => _drafts ??= ActivatorUtilities.CreateInstance<DraftStore>(Services);
    private WorkspaceCalls? _calls;
    private DraftStore? _drafts;

    private ElementReference _root;
    private WorkspaceScript? _script;
    private DotNetObjectReference<Annotate>? _self;
    private bool _attaching;
    private bool _attached;
    private (string Slug, long? TaskId)? _shown;

    private PageState _state = PageState.Loading;
    private Project? _project;
    private string _guidelinesHtml = "";
    private string? _me;
    private string? _mark;
    private Lease? _lease;
    private TaskView? _view;
    private AnswerDraft? _draft;
    private Progress _progress = new(0, 0);
    private long? _previousTaskId;
    private string? _message;
    private string? _status;
    private Severity _statusSeverity = Severity.Normal;
    private bool _busy;
    private bool _guidelinesOpen;
    private bool _skipOpen;
    private SpanPanel? _spanPanel;

    private bool Editing => TaskId is not null;
    private bool CanGoBack => _previousTaskId is { } previous && previous != _view?.TaskId;

    protected override async Task OnParametersSetAsync()
    {
        // Going to an edit and back is a navigation within this component: the same circuit, no page load.
        if (_shown == (Slug, TaskId))
            return;
        _shown = (Slug, TaskId);
        // Nothing of the task shown before may render under the new address (an edit banner over a task with no label).
        _state = PageState.Loading;
        (_lease, _view, _draft) = (null, null, null);
        if (_project?.Slug != Slug)
            _project = await Calls.ProjectAsync(Slug);
        if (_project is null)
        {
            _state = PageState.NoProject;
            return;
        }
        _guidelinesHtml = Guidelines.ToHtml(_project.GuidelinesMarkdown);
        _me = await Calls.AnnotatorAsync();
        if (_me is null)
        {
            Navigation.NavigateTo("/account/access-denied", forceLoad: true);
            return;
        }
        _mark = $"{_me}:{Slug}";
        await RefreshProgressAsync();
        if (!RendererInfo.IsInteractive)
        {
            // Prerendering: read only. The lease waits for the circuit, or every prerendered visit would take one.
            _state = await ShowsIntroAsync() ? PageState.Intro : PageState.Loading;
            return;
        }
        _script ??= new WorkspaceScript(Js);
        await _script.ImportAsync();
        await ResendUnconfirmedSubmitAsync();
        if (TaskId is { } taskId)
            await ShowEditAsync(taskId);
        else if (await ShowsIntroAsync())
            _state = PageState.Intro;
        else
            await ShowNextAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!RendererInfo.IsInteractive || _attaching || _script is null)
            return;
        _attaching = true;
        _self = DotNetObjectReference.Create(this);
        await _script.AttachAsync(_root, _self, Settings.Value.LeaseRenewalInterval);
        _attached = true;
        StateHasChanged();
    }

    private async Task<bool> ShowsIntroAsync() =>
        !Start && TaskId is null && !string.IsNullOrWhiteSpace(_project!.GuidelinesMarkdown) && !await Calls.HasStartedAsync(_project.Id, _me!);

    private async Task StartAsync()
    {
        Start = true;
        await ShowNextAsync();
    }

    /// <summary>The annotator's current lease in the project, or a new one, with its kept draft when there is one.</summary>
    private async Task ShowNextAsync()
    {
        _lease = await Calls.NextAsync(_project!, _me!);
        _view = _lease is null ? null : await Calls.ViewAsync(_project!, _lease.TaskId, _me!);
        if (_lease is null || _view is null)
        {
            ShowMessage("Nothing left for you in this project. Thank you!");
            return;
        }
        await OpenDraftAsync(AnswerDraft.ForAssignment(_lease.AssignmentId));
    }

    private async Task ShowEditAsync(long taskId)
    {
        _lease = null;
        _view = await Calls.ViewAsync(_project!, taskId, _me!);
        if (_view?.Current is null)
        {
            _view = null;
            ShowMessage($"You have no label on task {taskId} to edit.");
            return;
        }
        await OpenDraftAsync(AnswerDraft.ForEdit(taskId));
    }

    private async Task OpenDraftAsync(string target)
    {
        var kept = await Drafts.LoadAsync(_me!, target);
        _draft = kept is not null && kept.Fits(target, _view!) ? kept : AnswerDraft.Start(target, _view!, Clock.GetUtcNow());
        if (_draft != kept)
            await Drafts.SaveAsync(_me!, _draft);
        _state = PageState.Working;
    }

    private void ShowMessage(string message)
    {
        _draft = null;
        _message = message;
        _state = PageState.Message;
    }

    private async Task RefreshProgressAsync()
    {
        _progress = await Calls.ProgressAsync(_project!.Id, _me!);
        _previousTaskId = await Calls.PreviousTaskAsync(_project.Id, _me!);
    }

    /// <summary>
    /// A submit pressed in this browser that was never confirmed (the circuit went away with its answer): the kept
    /// draft goes again with the same idempotency key, so it is stored now, or found stored, and never twice.
    /// </summary>
    private async Task ResendUnconfirmedSubmitAsync()
    {
        if (await _script!.SubmittedTargetAsync(_mark!) is not { Length: > 1 } target)
            return;
        var draft = await Drafts.LoadAsync(_me!, target);
        var view = draft is null ? null : await Calls.ViewAsync(_project!, draft.TaskId, _me!);
        if (draft is not null && view is not null && draft.ToRequest(view, Clock.GetUtcNow()) is ({ } request, _))
        {
            var outcome = await Calls.SubmitAsync(target, _me!, request);
            if (outcome.Receipt is { } receipt)
            {
                ShowStatus($"Your last submit: {receipt.Message}", Severity.Success);
                await Drafts.DeleteAsync(_me!, target);
                await RefreshProgressAsync();
            }
            else
            {
                ShowStatus($"Your last submit was not stored: {outcome.Error}", Severity.Warning);
            }
        }
        await _script.ClearSubmittedAsync(_mark!);
    }

    private async Task DraftChangedAsync()
    {
        if (_draft is not null)
            await Drafts.SaveAsync(_me!, _draft);
    }

    private async Task SubmitAsync()
    {
        if (_busy || _view is null || _draft is null || _state != PageState.Working)
            return;
        if (_spanPanel?.IsEditing == true)
        {
            await RefuseSubmitAsync("Finish the open span first: Mark or Cancel.");
            return;
        }
        var (request, error) = _draft.ToRequest(_view, Clock.GetUtcNow());
        if (request is null)
        {
            await RefuseSubmitAsync(error!);
            return;
        }
        if (await Calls.AnnotatorAsync() is not { } me)
        {
            Navigation.NavigateTo("/account/access-denied", forceLoad: true);
            return;
        }
        _busy = true;
        ShowStatus("Saving…", Severity.Normal);
        SubmitOutcome outcome;
        try
        {
            outcome = await Calls.SubmitAsync(_draft.Target, me, request);
        }
        finally
        {
            _busy = false;
        }
        var target = _draft.Target;
        if (outcome.Receipt is not { } receipt)
        {
            await RefuseSubmitAsync(outcome.Error!);
            return;
        }
        Snackbar.Add(receipt.Message, receipt.AlreadyStored || receipt.Late ? Severity.Info : Severity.Success);
        ShowStatus(receipt.Message, Severity.Success);
        if (Editing)
        {
            await ForgetAsync(me, target);
            Navigation.NavigateTo($"/annotate/{Uri.EscapeDataString(Slug)}");
            return;
        }
        await ShowNextAsync();
        StateHasChanged();
        // Only once the next task is on screen: the annotator waits for the task, not for the counts; and a lost answer
        // leaves the mark and the draft, so the next page resends.
        await RefreshProgressAsync();
        StateHasChanged();
        await ForgetAsync(me, target);
    }

    private async Task ForgetAsync(string me, string target)
    {
        await Drafts.DeleteAsync(me, target);
        await _script!.ClearSubmittedAsync(_mark!);
    }

    private async Task RefuseSubmitAsync(string error)
    {
        ShowStatus(error, Severity.Error);
        Snackbar.Add(error, Severity.Error);
        await _script!.ClearSubmittedAsync(_mark!);
    }

    private void ShowRefusal(string message) => ShowStatus(message, Severity.Warning);

    private void ShowStatus(string message, Severity severity)
    {
        _status = message;
        _statusSeverity = severity;
    }

    private void OpenGuidelines() => _guidelinesOpen = true;

    private void OpenSkip()
    {
        if (!Editing && _lease is not null && _state == PageState.Working)
            _skipOpen = true;
    }

    private async Task SkipAsync(string? reason)
    {
        _skipOpen = false;
        if (_lease is null || await Calls.AnnotatorAsync() is not { } me)
            return;
        var outcome = await Calls.SkipAsync(_lease.AssignmentId, me, reason);
        if (outcome.Message is not null)
        {
            ShowStatus(outcome.Message, Severity.Error);
            Snackbar.Add(outcome.Message, Severity.Error);
            return;
        }
        var target = _draft?.Target;
        ShowStatus("Skipped: the task went back to the pool.", Severity.Info);
        await ShowNextAsync();
        StateHasChanged();
        await RefreshProgressAsync();
        if (target is not null)
            await Drafts.DeleteAsync(me, target);
    }

    private Task GoBackAsync()
    {
        if (_previousTaskId is { } previous && CanGoBack)
            Navigation.NavigateTo($"/annotate/{Uri.EscapeDataString(Slug)}/edit/{previous}");
        return Task.CompletedTask;
    }

    private Task LeaveEditAsync()
    {
        Navigation.NavigateTo($"/annotate/{Uri.EscapeDataString(Slug)}");
        return Task.CompletedTask;
    }

    /// <summary>The workspace keys of docs/annotating.md, from annotate.js (which leaves out typing and open dialogs).</summary>
    [JSInvokable]
    public async Task OnKey(string key, bool shift)
    {
        if (_guidelinesOpen || _skipOpen)
            return;
        switch (key)
        {
            case "g" or "?":
                _guidelinesOpen = true;
                break;
            case "Enter" when _state == PageState.Intro:
                await StartAsync();
                break;
            case "Enter":
                await SubmitAsync();
                break;
            case "s":
                OpenSkip();
                break;
            case "p":
                await GoBackAsync();
                break;
            default:
                if (_state == PageState.Working && _draft is not null && _draft.HandleKey(_view!, key, shift))
                    await DraftChangedAsync();
                break;
        }
        StateHasChanged();
    }

    /// <summary>A mouse selection in a response's text, as UTF-16 offsets measured by the browser.</summary>
    [JSInvokable]
    public async Task OnTextSelected(int responseId, int start, int end)
    {
        if (_spanPanel is not null)
            await _spanPanel.SelectAsync(responseId, start, end);
        StateHasChanged();
    }

    /// <summary>The annotator did something in the last round: keep the lease.</summary>
    [JSInvokable]
    public async Task OnActive()
    {
        if (_lease is null || Editing || _state != PageState.Working || await Calls.AnnotatorAsync() is not { } me)
            return;
        var outcome = await Calls.RenewAsync(_lease.AssignmentId, me);
        if (outcome.Message is not null)
        {
            ShowStatus("Your lease on this task ended; submitting still works while the task needs your label.", Severity.Warning);
            StateHasChanged();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_script is not null)
            await _script.DisposeAsync();
        _self?.Dispose();
    }
}
