namespace VitalEvents.Web.Documents;

/// <summary>The words the document pages share: where a document stands, why, and the languages it prints in.</summary>
public sealed class DocumentText;
