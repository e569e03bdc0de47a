using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Domain.Verifications;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Verifications;

/// <summary>What an admin sets for an agency: its names, what it may ask and how much.</summary>
public sealed record AgencyTerms(string Name, string NameEnglish, IReadOnlyList<string> Purposes, IReadOnlyList<string> Answers, int DailyQuota, int RatePerSecond)
{
    public const int MaxDailyQuota = 100_000_000;
    public const int MaxRatePerSecond = 100_000;

    public void ApplyTo(Agency agency)
    {
        (agency.Name, agency.NameEnglish, agency.Purposes, agency.Answers) = (Name, NameEnglish, [.. Purposes], [.. Answers]);
        (agency.DailyQuota, agency.RatePerSecond) = (DailyQuota, RatePerSecond);
    }
}

/// <summary>Slugs: the ids of agencies and the purposes admins define (lower-case ASCII letters and digits, single hyphens between).</summary>
public static partial class Slugs
{
    public const int MaxLength = 64;

    public static bool IsSlug(string? text) => text is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(text);

    public static string Parse(Validator v, string field, string? value, string code)
    {
        var slug = value?.Trim() ?? string.Empty;
        if (!IsSlug(slug)) v.Fail(field, code, $"{field} is a slug of lower-case ASCII letters and digits with single hyphens, such as account-opening (at most {MaxLength}).");
        return slug;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();
}

/// <summary>The names, purposes, answers and limits of an agency, as a request gives them (registering or changing it).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public record AgencyTermsRequest(string? Name, string? NameEnglish, string[]? Purposes, string[]? Answers, int? DailyQuota, int? RatePerSecond)
{
    public AgencyTerms ParseTerms(Validator v)
    {
        var name = v.Text("name", Name, 200);
        var english = v.Text("nameEnglish", NameEnglish, 200);
        if ((Purposes ?? []).Length == 0) v.Fail("purposes", "agency.noPurpose", "purposes names at least one purpose the agency verifies for.");
        var purposes = (Purposes ?? []).Select((p, i) => Slugs.Parse(v, $"purposes[{i}]", p, "agency.invalidPurpose")).Distinct().ToList();
        if ((Answers ?? []).Length == 0) v.Fail("answers", "agency.noAnswer", "answers names at least one thing the agency may ask.");
        var answers = new List<string>();
        foreach (var (answer, i) in (Answers ?? []).Select((a, i) => (a, i)))
            if (!VerificationAnswers.All.Contains(answer)) v.Fail($"answers[{i}]", "agency.unknownAnswer", $"answers[{i}] is one of: {string.Join(", ", VerificationAnswers.All)}.");
            else if (!answers.Contains(answer)) answers.Add(answer);
        if (answers.Count > 0 && !answers.Intersect(VerificationAnswers.Attributes).Any())
            v.Fail("answers", "agency.noAttribute", $"answers names at least one attribute to compare: {string.Join(", ", VerificationAnswers.Attributes)}.");
        var quota = v.Number("dailyQuota", DailyQuota, 1, AgencyTerms.MaxDailyQuota);
        var rate = v.Number("ratePerSecond", RatePerSecond, 1, AgencyTerms.MaxRatePerSecond);
        return new AgencyTerms(name, english, purposes, [.. VerificationAnswers.All.Where(answers.Contains)], quota, rate);
    }
}

/// <summary>A new agency: its id (the agency claim of its verifiers' tokens) and its terms.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterAgencyRequest(string? Id, string? Name, string? NameEnglish, string[]? Purposes, string[]? Answers, int? DailyQuota, int? RatePerSecond)
    : AgencyTermsRequest(Name, NameEnglish, Purposes, Answers, DailyQuota, RatePerSecond)
{
    public RegisterAgencyCommand Parse(Validator v) => new(Slugs.Parse(v, "id", Id, "agency.invalidId"), ParseTerms(v));
}

public sealed record RegisterAgencyCommand(string Id, AgencyTerms Terms) : ICommand<AgencyView>;

public sealed class RegisterAgencyHandler(IDocumentSession session, AgencyChangeLog changes, RequestContext context, TimeProvider clock)
    : ICommandHandler<RegisterAgencyCommand, AgencyView>
{
    public async ValueTask<AgencyView> Handle(RegisterAgencyCommand command, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Agency>(command.Id, cancellationToken) is not null)
            throw new RuleViolationException(new RuleViolation("agency.exists", $"An agency {command.Id} is registered already.", ViolationKind.Conflict, "id"));
        var now = clock.GetUtcNow();
        var agency = new Agency { Id = command.Id, Revision = 1, CreatedBy = context.UserId, CreatedAt = now, ChangedAt = now };
        command.Terms.ApplyTo(agency);
        // Insert, not store: two admins registering one id at once cannot both succeed.
        session.Insert(agency);
        changes.Queue(session, AgencyChangeLog.Registered, null, agency);
        return AgencyView.Of(agency);
    }
}

public static class RegisterAgencyEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/agencies", async Task<Created<AgencyView>> (RegisterAgencyRequest? request, IMediator mediator, AgencyDirectory directory,
                CancellationToken ct) =>
            {
                var created = await mediator.Send(Validator.Parse(request, (r, v) => r.Parse(v)), ct);
                await directory.ReloadAsync(ct);
                return TypedResults.Created($"/api/agencies/{created.Id}", created);
            })
            .RequireAuthorization(Roles.AdminPolicy)
            .Writes()
            .WithName("RegisterAgency")
            .WithSummary("Register an agency that verifies identities (Hoda): its names, the purposes and answers it may ask, its daily quota and rate; admins only.");
}
