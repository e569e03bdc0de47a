namespace VitalEvents.Web.Text;

// Each class names a resource file beside it (Common.resx, Common.fa.resx, …): IStringLocalizer<Common> reads them.

/// <summary>Words every page uses: the layout, navigation, common fields and actions, error pages.</summary>
public sealed class Common;

/// <summary>What each refusal code means, for the person at the desk.</summary>
public sealed class Refusals;

/// <summary>The registry's closed vocabularies (sexes, kinds of marriage, …), event types and roles.</summary>
public sealed class Words;
