using System.Diagnostics;
using System.Text.Json.Serialization;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Audit;
using VitalEvents.Domain;
using VitalEvents.Domain.Verifications;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Verifications;

/// <summary>What an agency asks: a national code, why, and at least one attribute it was told (a date ISO or Solar Hijri, in any digits).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VerificationRequest(string? NationalCode, string? Purpose, string? BirthDate = null, string? GivenName = null, string? FamilyName = null,
    string? FatherName = null)
{
    public VerificationAsk Parse(Validator v)
    {
        var code = v.NationalCode("nationalCode", NationalCode);
        var purpose = Slugs.Parse(v, "purpose", Purpose, "verification.invalidPurpose");
        var asked = new AskedIdentity(v.OptionalDate("birthDate", BirthDate), v.OptionalName("givenName", GivenName), v.OptionalName("familyName", FamilyName),
            v.OptionalName("fatherName", FatherName));
        if (asked.Names.Count == 0 && BirthDate is null)
            v.Fail("", "verification.nothingAsked", $"Give at least one of {string.Join(", ", VerificationAnswers.Attributes)} to compare.");
        return new VerificationAsk(code, purpose, asked);
    }
}

/// <summary>A verification as asked, parsed.</summary>
public sealed record VerificationAsk(string NationalCode, string Purpose, AskedIdentity Asked);

/// <summary>How each attribute asked compares; attributes not asked are left out.</summary>
public sealed record MatchView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? BirthDate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), OneOf(typeof(NameMatch), nameof(NameMatch.All))] string? GivenName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), OneOf(typeof(NameMatch), nameof(NameMatch.All))] string? FamilyName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), OneOf(typeof(NameMatch), nameof(NameMatch.All))] string? FatherName)
{
    public static MatchView Of(AttributeMatch m) => new(m.BirthDate, m.GivenName, m.FamilyName, m.FatherName);
}

/// <summary>
/// The answer to a verification: matches only, never a stored value. <c>alive</c> is null unless every attribute asked matched
/// and the agency may ask it; <c>known</c> is given only to agencies allowed <c>existence</c>, the date of death only to those
/// allowed it, for a matched person who has died.
/// </summary>
public sealed record VerificationAnswer(Guid VerificationId, MatchView Match, bool? Alive,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Known = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? DateOfDeath = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DateOfDeathSolarHijri => SolarHijri.Format(DateOfDeath);
}

/// <summary>
/// One verification, for the HTTP endpoint, the batch and the console alike: the agency checked (registered, active, the purpose
/// and the attributes allowed), the quota taken, the person compared, the access log written — and only then the answer given.
/// Refused input is neither counted nor logged.
/// </summary>
public sealed class IdentityVerifier(AgencyDirectory agencies, DailyQuota quota, IdentityLookup lookup, AccessLog log)
{
    public async Task<VerificationAnswer> VerifyAsync(RequestContext context, VerificationAsk ask, CancellationToken ct)
    {
        var agency = await ActingAgencyAsync(context, ct);
        if (!agency.Purposes.Contains(ask.Purpose))
            throw Refused("verification.purposeNotAllowed", $"Agency {agency.Id} may not verify for the purpose '{ask.Purpose}'.", "purpose");
        var names = ask.Asked.Names;
        if (names.FirstOrDefault(name => !agency.Allows(name)) is { } notAllowed)
            throw Refused("verification.answerNotAllowed", $"Agency {agency.Id} may not ask {notAllowed}.", notAllowed);
        await quota.TakeAsync(agency, ct);

        var stored = await lookup.FindAsync(ask.NationalCode, ct);
        var match = IdentityMatching.Match(ask.Asked, stored);
        var answer = new VerificationAnswer(Guid.CreateVersion7(), MatchView.Of(match),
            IdentityMatching.Alive(match, stored, agency.Allows(VerificationAnswers.Alive)),
            agency.Allows(VerificationAnswers.Existence) ? stored is not null : null,
            IdentityMatching.DateOfDeath(match, stored, agency.Allows(VerificationAnswers.DateOfDeath)));
        try
        {
            await log.RecordAsync(context, AccessedResource.Verification, ask.NationalCode, ask.Purpose,
                $"id={answer.VerificationId} asked={string.Join(',', names)}", stored is null ? 404 : 200, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DatabaseUnavailableException("The verification could not be written to the access log, so it is not answered. Try again shortly.", e);
        }
        Telemetry.RecordedReads.Add(1, new TagList { { "resource", AccessedResource.Verification } });
        return answer;
    }

    /// <summary>The caller's agency: named in the token, registered, and active.</summary>
    public async Task<Agency> ActingAgencyAsync(RequestContext context, CancellationToken ct)
    {
        var agency = context.AgencyId is { } id ? await agencies.FindAsync(id, ct) : null;
        if (agency is null)
            throw Refused("verification.agencyUnknown", context.AgencyId is null
                ? "Your token names no agency; a verifier acts for the one agency its token names."
                : $"Your token's agency '{context.AgencyId}' is not registered to verify identities.");
        if (!agency.IsActive) throw Refused("verification.agencySuspended", $"Agency {agency.Id} is suspended; it may not verify identities now.");
        return agency;
    }

    private static RuleViolationException Refused(string code, string message, string? field = null) =>
        new(new RuleViolation(code, message, ViolationKind.Forbidden, field));
}

public sealed record VerifyIdentityQuery(VerificationAsk Ask) : IQuery<VerificationAnswer>;

public sealed class VerifyIdentityHandler(IdentityVerifier verifier, RequestContext context) : IQueryHandler<VerifyIdentityQuery, VerificationAnswer>
{
    public async ValueTask<VerificationAnswer> Handle(VerifyIdentityQuery query, CancellationToken cancellationToken) =>
        await verifier.VerifyAsync(context, query.Ask, cancellationToken);
}

public static class VerifyIdentityEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/verifications", async Task<Results<Ok<VerificationAnswer>, ProblemHttpResult>> (VerificationRequest? request, IMediator mediator,
                HttpContext http, CancellationToken ct) =>
            {
                var ask = Validator.Parse(request, (r, v) => r.Parse(v));
                try
                {
                    return TypedResults.Ok(await mediator.Send(new VerifyIdentityQuery(ask), ct));
                }
                catch (QuotaExhaustedException e)
                {
                    return QuotaProblem(http, e);
                }
            })
            .RequireAuthorization(Roles.VerifyPolicy)
            .RequireRateLimiting(AgencyRateLimit.PolicyName)
            .WithName("VerifyIdentity")
            .WithSummary("Does what an agency was told about a person match the registry? Answers matches only (exact, similar, different; true or false), " +
                "never a stored value; whether the person is alive only when everything asked matched. Logged before it is answered. Verifiers only.");

    /// <summary>429 until Tehran's next midnight.</summary>
    public static ProblemHttpResult QuotaProblem(HttpContext http, QuotaExhaustedException e)
    {
        http.Response.Headers.RetryAfter = RetryAfter.Seconds(e.RetryAfter);
        return Problems.Of(StatusCodes.Status429TooManyRequests, QuotaExhaustedException.Code, e.Message);
    }
}
