using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace VitalEvents.Cli;

/// <summary>Events replayed of the events to replay, as the rebuild's progress bar shows them.</summary>
public sealed class EventCountColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Markup(string.Create(CultureInfo.InvariantCulture, $"{task.Value:N0}/{task.MaxValue:N0}"));
}

/// <summary>The recent rate of the rebuild, in events a second.</summary>
public sealed class EventRateColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Markup(task.Speed is { } speed ? string.Create(CultureInfo.InvariantCulture, $"{speed:N0} events/s") : "");
}
