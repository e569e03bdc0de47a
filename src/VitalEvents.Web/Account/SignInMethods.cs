using System.Security.Claims;

namespace VitalEvents.Web.Account;

/// <summary>
/// Development sign-in: a principal for the user, role, office and agency or facility picked on the sign-in page, made from a development token the
/// registry mints and reads back as it reads any bearer token. Registered by the host in the Development environment only.
/// </summary>
public interface IDevelopmentSignIn
{
    Task<ClaimsPrincipal> PrincipalAsync(string user, string role, string office, string? agency = null, string? facility = null);
}

/// <summary>How people sign in here: with the organisation's OpenID Connect authority, and (in Development) on the sign-in page.</summary>
public sealed record SignInMethods(bool OpenIdConnect);

public static class ReturnUrls
{
    /// <summary>A return address inside the console; anything else (another site, a scheme-relative URL) returns home.</summary>
    public static string Local(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains('\\') ? url : "/";
}
