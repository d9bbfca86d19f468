using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace MultiCluster.Web.Components.Fleet;

public sealed partial class FilterField : IDisposable
{
    // What the field shows, and the page's value as the field last knew it (given by the page, or told to it).
    private string? _text;
    private string? _told;
    private CancellationTokenSource? _pause;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Parameter]
    public string? Value { get; set; }

    [Parameter]
    public EventCallback<string?> ValueChanged { get; set; }

    /// <summary>How long typing pauses before the page is told, in milliseconds.</summary>
    [Parameter]
    public int DebounceInterval { get; set; } = 250;

    [Parameter]
    public string? Label { get; set; }

    [Parameter]
    public string? Placeholder { get; set; }

    [Parameter]
    public bool Clearable { get; set; }

    /// <summary>An icon at the start of the field (a search field's magnifier).</summary>
    [Parameter]
    public string? AdornmentIcon { get; set; }

    /// <summary>What is wrong with the value, shown under the field; none when it is right.</summary>
    [Parameter]
    public string? ErrorText { get; set; }

    [Parameter]
    public string? Style { get; set; }

    /// <summary>Attributes for the input itself, such as its data-testid or aria-label.</summary>
    [Parameter(CaptureUnmatchedValues = true)]
    public Dictionary<string, object?> Attributes { get; set; } = [];

    protected override void OnParametersSet()
    {
        // The page set its value itself (a link, a reset): that shows, and a pause still running is dropped. The page's
        // renders with the value the field last knew leave what is being typed alone.
        if (!string.Equals(Value, _told, StringComparison.Ordinal))
        {
            CancelPause();
            _text = _told = Value;
        }
    }

    private void Typed(string? text)
    {
        _text = text;
        CancelPause();
        _pause = new CancellationTokenSource();
        _ = TellAfterPauseAsync(_pause.Token);
    }

    private async Task TellAfterPauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(DebounceInterval), Time, cancellationToken);
            await InvokeAsync(async () =>
            {
                // A keystroke, Enter or a blur since the pause ended has told the page, or starts its own pause.
                if (!cancellationToken.IsCancellationRequested)
                {
                    await TellAsync();
                }
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // What the page does with the value failed: its error handling hears of it, as from any event of its own.
            await DispatchExceptionAsync(ex);
        }
    }

    private Task KeyDownAsync(KeyboardEventArgs args) => args.Key is "Enter" or "NumpadEnter" ? TellNowAsync() : Task.CompletedTask;

    private Task TellNowAsync()
    {
        CancelPause();
        return TellAsync();
    }

    private Task TellAsync()
    {
        if (string.Equals(_text, _told, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        _told = _text;
        return ValueChanged.InvokeAsync(_text);
    }

    private void CancelPause()
    {
        _pause?.Cancel();
        _pause?.Dispose();
        _pause = null;
    }

    public void Dispose() => CancelPause();
}
