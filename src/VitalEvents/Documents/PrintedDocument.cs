namespace VitalEvents.Documents;

/// <summary>One printed line of a document: its label and its value, in Persian and in English.</summary>
public sealed record PrintedField(string Key, string LabelFa, string LabelEn, string ValueFa, string ValueEn);

/// <summary>A page or block of a document (the shenasnameh's identity page, its marriages, its children...).</summary>
public sealed record PrintedSection(string TitleFa, string TitleEn, IReadOnlyList<PrintedField> Fields);

/// <summary>
/// A document as it is printed, whatever the format: its title, serial number, when it was issued, its sections, the
/// language it is printed in (<c>fa</c>, <c>en</c> or <c>both</c>), and the QR payload that carries its signed claims.
/// </summary>
public sealed record PrintedDocument(
    Guid DocumentId, string Kind, string Language, string TitleFa, string TitleEn, string SerialNumber,
    string IssuedAtFa, string IssuedAtEn, IReadOnlyList<PrintedSection> Sections, string QrPayload, string VerifyUrl)
{
    public bool PrintsPersian => Language is "fa" or "both";
    public bool PrintsEnglish => Language is "en" or "both";
}
