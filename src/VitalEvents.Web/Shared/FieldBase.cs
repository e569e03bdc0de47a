using System.Linq.Expressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace VitalEvents.Web.Shared;

/// <summary>
/// One form field: its label, the registry's name for it (<see cref="Field"/>, as refusals name it), an optional hint, and the
/// message when the registry refused it, tied to the control for assistive technology.
/// </summary>
public abstract class FieldBase<TValue> : ComponentBase
{
    [Parameter, EditorRequired] public string Label { get; set; } = string.Empty;

    /// <summary>The field's path as the registry's refusals name it (<c>birthPlace.city</c>).</summary>
    [Parameter, EditorRequired] public string Field { get; set; } = string.Empty;

    [Parameter] public string? Hint { get; set; }
    [Parameter] public bool Required { get; set; }
    [Parameter] public TValue? Value { get; set; }
    [Parameter] public EventCallback<TValue?> ValueChanged { get; set; }
    [Parameter] public Expression<Func<TValue?>>? ValueExpression { get; set; }
    [Parameter(CaptureUnmatchedValues = true)] public IReadOnlyDictionary<string, object>? Attributes { get; set; }
    [CascadingParameter] public FormErrors? Errors { get; set; }
    [CascadingParameter] private EditContext? EditContext { get; set; }
    private ValidationMessageStore? _messages;

    protected string Id => FormErrors.IdOf(Field);
    protected string? Message => Errors?.For(Field);

    /// <summary>The ids of the hint and the message (empty until there is one, the browser's check included), for <c>aria-describedby</c>.</summary>
    protected string DescribedBy => Hint is null ? Id + "-error" : $"{Id}-hint {Id}-error";

    protected string? Invalid => Message is null ? null : "true";

    /// <summary>
    /// The registry's message also goes into the form's validation state: the framework's inputs mark a control invalid
    /// (<c>aria-invalid</c>, the <c>invalid</c> class) only for a field with a message there.
    /// </summary>
    protected override void OnParametersSet()
    {
        if (EditContext is null || ValueExpression is null) return;
        _messages ??= new ValidationMessageStore(EditContext);
        _messages.Clear();
        if (Message is { } message) _messages.Add(FieldIdentifier.Create(ValueExpression), message);
    }

    /// <summary>The attributes every control of a field carries.</summary>
    protected Dictionary<string, object> ControlAttributes(params (string Name, object? Value)[] more)
    {
        var attributes = new Dictionary<string, object> { ["id"] = Id };
        attributes["aria-describedby"] = DescribedBy;
        if (Invalid is { } invalid) attributes["aria-invalid"] = invalid;
        if (Required) attributes["data-required"] = "";
        foreach (var (name, value) in more) if (value is not null) attributes[name] = value;
        if (Attributes is not null) foreach (var (name, value) in Attributes) attributes[name] = value;
        return attributes;
    }
}
