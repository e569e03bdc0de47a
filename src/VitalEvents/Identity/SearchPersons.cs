using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;

namespace VitalEvents.Identity;

public sealed record SearchHit(
    string NationalCode, string GivenName, string FamilyName, string? FatherName, [property: OneOf(nameof(Vocabulary.Sexes))] string Sex,
    DateOnly BirthDate, string BirthDateSolarHijri, string? Province, bool Alive);

public sealed record SearchResults(int Page, int PageSize, bool HasMore, IReadOnlyList<SearchHit> Results);

/// <summary>
/// Registrars' search by name, father's name, birth year and province: names are matched on folded search keys
/// (Arabic and Persian letter variants, ZWNJ) with trigram similarity (pg_trgm), so a typo still finds the person;
/// best matches first.
/// </summary>
public sealed record SearchPersonsQuery(string GivenName, string FamilyName, string FatherName, int BirthYear, string Province, Paging Paging)
    : IQuery<SearchResults>;

public sealed class SearchPersonsHandler(IQuerySession session) : IQueryHandler<SearchPersonsQuery, SearchResults>
{
    public async ValueTask<SearchResults> Handle(SearchPersonsQuery q, CancellationToken cancellationToken)
    {
        var found = await session.QueryAsync<PersonSnapshot>(
            """
            where (? = '' or search_given_name % ? or search_given_name like ? || '%')
              and (? = '' or search_family_name % ? or search_family_name like ? || '%')
              and (? = '' or search_father_name % ? or search_father_name like ? || '%')
              and (? = 0 or (? < 1700 and (data ->> 'BirthYearSolarHijri')::int = ?) or (? >= 1700 and left(data ->> 'BirthDate', 4)::int = ?))
              and (? = '' or data -> 'BirthPlace' ->> 'Province' = ?)
            order by similarity(search_given_name, ?) + similarity(search_family_name, ?) + similarity(search_father_name, ?) desc, id
            limit ? offset ?
            """, cancellationToken,
            q.GivenName, q.GivenName, q.GivenName, q.FamilyName, q.FamilyName, q.FamilyName, q.FatherName, q.FatherName, q.FatherName,
            q.BirthYear, q.BirthYear, q.BirthYear, q.BirthYear, q.BirthYear, q.Province, q.Province, q.GivenName, q.FamilyName, q.FatherName,
            q.Paging.PageSize + 1, q.Paging.Skip);
        var hits = found.Take(q.Paging.PageSize).Select(p => new SearchHit(p.NationalCode, p.GivenName, p.FamilyName, p.Father?.GivenName, p.Sex,
            p.BirthDate, p.BirthDateSolarHijri, p.BirthPlace?.Province, p.Alive)).ToList();
        return new SearchResults(q.Paging.Page, q.Paging.PageSize, found.Count > q.Paging.PageSize, hits);
    }
}

public static class SearchPersonsEndpoint
{
    public const int MaxPageSize = 100;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/persons", async Task<Results<Ok<SearchResults>, ProblemHttpResult>> (string? givenName, string? familyName, string? fatherName,
                int? birthYear, string? province, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            {
                var (given, family, father) = (PersianText.SearchKey(givenName), PersianText.SearchKey(familyName), PersianText.SearchKey(fatherName));
                if (given.Length == 0 && family.Length == 0 && father.Length == 0)
                    return Problems.Invalid("search.criteriaRequired", "Give at least one of givenName, familyName, fatherName.");
                if (given.Length > 100 || family.Length > 100 || father.Length > 100 || province?.Length > 100)
                    return Problems.Invalid("search.invalidCriteria", "A name or province is at most 100 characters.");
                if (birthYear is < 1 or > 9999) return Problems.Invalid("search.invalidCriteria", "birthYear is a year from 1 to 9999.");
                if (Paging.TryParse(page, pageSize, out var paging, 20, MaxPageSize) is { } error) return Problems.Invalid("search.invalidPage", error);
                return TypedResults.Ok(await mediator.Send(
                    new SearchPersonsQuery(given, family, father, birthYear ?? 0, PersianText.Normalize(province), paging), ct));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .ConditionalRead()
            .WithName("SearchPersons")
            .WithSummary("Find people by givenName, familyName, fatherName (typo- and letter-variant-tolerant), birthYear (Solar Hijri, or Gregorian from 1700) and province; ranked, paged.");
}
