using Microsoft.AspNetCore.Components;

namespace MultiCluster.Web.Components.Fleet;

public sealed partial class FilterSelect
{
    private IReadOnlyList<string> _renderedOptions = [];
    private string? _renderedValue;

    [Parameter, EditorRequired]
    public string Label { get; set; } = "";

    [Parameter]
    public IReadOnlyList<string> Options { get; set; } = [];

    [Parameter]
    public string? Value { get; set; }

    [Parameter]
    public EventCallback<string?> ValueChanged { get; set; }

    /// <summary>Attributes for the select itself, such as its data-testid.</summary>
    [Parameter(CaptureUnmatchedValues = true)]
    public Dictionary<string, object?> Attributes { get; set; } = [];

    protected override void OnInitialized() => (_renderedOptions, _renderedValue) = (Options, Value);

    protected override bool ShouldRender()
    {
        if (Value == _renderedValue && (ReferenceEquals(Options, _renderedOptions) || Options.SequenceEqual(_renderedOptions)))
        {
            return false;
        }
        (_renderedOptions, _renderedValue) = (Options, Value);
        return true;
    }

    private Task SelectedAsync(string? value) => ValueChanged.InvokeAsync(value);
}
