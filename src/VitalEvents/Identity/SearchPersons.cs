using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Identity;

public sealed record SearchHit(
    string NationalCode, string GivenName, string FamilyName, string? FatherName, string Sex, DateOnly BirthDate, string BirthDateSolarHijri,
    string? Province, bool Alive);

public sealed record SearchResults(int Page, int PageSize, bool HasMore, IReadOnlyList<SearchHit> Results);

/// <summary>
/// Registrars' search by name, father's name, birth year and province: names are matched on folded search keys
/// (Arabic and Persian letter variants, ZWNJ) with trigram similarity (pg_trgm), so a typo still finds the person;
/// best matches first.
/// </summary>
public static class SearchPersonsEndpoint
{
    public const int MaxPageSize = 100;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/persons", async (string? givenName, string? familyName, string? fatherName, int? birthYear, string? province,
                int? page, int? pageSize, IQuerySession session, CancellationToken ct) =>
            {
                var (given, family, father) = (PersianText.SearchKey(givenName), PersianText.SearchKey(familyName), PersianText.SearchKey(fatherName));
                if (given.Length == 0 && family.Length == 0 && father.Length == 0)
                    return Problems.Of(StatusCodes.Status400BadRequest, "search.criteriaRequired", "Give at least one of givenName, familyName, fatherName.");
                var (number, size) = (page ?? 1, pageSize ?? 20);
                if (number < 1 || size is < 1 or > MaxPageSize)
                    return Problems.Of(StatusCodes.Status400BadRequest, "search.invalidPage", $"page starts at 1; pageSize is from 1 to {MaxPageSize}.");
                var year = birthYear ?? 0;
                var provinceText = PersianText.Normalize(province);

                var found = await session.QueryAsync<PersonSnapshot>(
                    """
                    where (? = '' or search_given_name % ? or search_given_name like ? || '%')
                      and (? = '' or search_family_name % ? or search_family_name like ? || '%')
                      and (? = '' or search_father_name % ? or search_father_name like ? || '%')
                      and (? = 0 or (? < 1700 and (data ->> 'BirthYearSolarHijri')::int = ?) or (? >= 1700 and left(data ->> 'BirthDate', 4)::int = ?))
                      and (? = '' or data -> 'BirthPlace' ->> 'Province' = ?)
                    order by similarity(search_given_name, ?) + similarity(search_family_name, ?) + similarity(search_father_name, ?) desc, id
                    limit ? offset ?
                    """, ct,
                    given, given, given, family, family, family, father, father, father, year, year, year, year, year,
                    provinceText, provinceText, given, family, father, size + 1, (number - 1) * size);

                var hits = found.Take(size).Select(p => new SearchHit(p.NationalCode, p.GivenName, p.FamilyName, p.Father?.GivenName, p.Sex,
                    p.BirthDate, p.BirthDateSolarHijri, p.BirthPlace?.Province, p.Alive)).ToList();
                return Results.Ok(new SearchResults(number, size, found.Count > size, hits));
            })
            .RequireAuthorization(Roles.ReadPolicy)
            .WithName("SearchPersons").WithTags("Identity")
            .WithSummary("Find people by givenName, familyName, fatherName (typo- and letter-variant-tolerant), birthYear (Solar Hijri, or Gregorian from 1700) and province; ranked, paged.")
            .Produces<SearchResults>();
}
