using QRCoder;

namespace VitalEvents.Documents;

/// <summary>
/// A document's QR code. The payload is Base45 with an upper-case prefix, all in the QR alphanumeric set, so it is encoded in
/// alphanumeric mode (5.5 bits a character); error correction level M, as the EU Digital COVID Certificate uses at least.
/// </summary>
public static class DocumentQr
{
    public static QRCodeData Data(string payload)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
    }

    /// <summary>The QR code as an SVG image (dark modules on white, with the quiet zone), for a page to show.</summary>
    public static string Svg(string payload)
    {
        using var data = Data(payload);
        return new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true);
    }
}
