using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace PreferenceStudio.Web.Components.Pages.Annotate;

/// <summary>The page's side of wwwroot/js/annotate.js: keys, selection offsets, activity and the "submit pressed" mark.</summary>
public sealed class WorkspaceScript(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _import;
    private IJSObjectReference? _module;
    private IJSObjectReference? _handle;

    public async Task<IJSObjectReference> ImportAsync() =>
        _module = await (_import ??= js.InvokeAsync<IJSObjectReference>("import", "/js/annotate.js").AsTask());

    public async Task AttachAsync<T>(ElementReference root, DotNetObjectReference<T> page, TimeSpan renewEvery) where T : class
    {
        var module = await ImportAsync();
        _handle = await module.InvokeAsync<IJSObjectReference>("attach", root, page, (int)renewEvery.TotalMilliseconds);
    }

    /// <summary>The draft target whose submit was pressed in this browser and never confirmed, if any.</summary>
    public async Task<string?> SubmittedTargetAsync(string mark) =>
        _module is null ? null : await _module.InvokeAsync<string?>("submittedTarget", mark);

    public async Task ClearSubmittedAsync(string mark)
    {
        try
        {
            if (_module is not null)
                await _module.InvokeVoidAsync("clearSubmitted", mark);
        }
        catch (Exception ex) when (DraftStore.IsBrowserFailure(ex))
        {
            // The circuit is gone: the mark stays, and the next page sends the kept draft again with its key.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_handle is not null)
            {
                await _handle.InvokeVoidAsync("dispose");
                await _handle.DisposeAsync();
            }
            if (_module is not null)
                await _module.DisposeAsync();
        }
        catch (Exception ex) when (DraftStore.IsBrowserFailure(ex))
        {
            // The browser went away first; nothing left to detach.
        }
    }
}
