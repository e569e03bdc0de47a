using Marten;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VitalEvents.Domain;
using VitalEvents.Http;
using VitalEvents.Pipeline;
using VitalEvents.Storage;

namespace VitalEvents.Identity;

public sealed record SearchHit(
    string NationalCode, string GivenName, string FamilyName, string? FatherName, [property: OneOf(nameof(Vocabulary.Sexes))] string Sex,
    DateOnly BirthDate, string BirthDateSolarHijri, string? Province, bool Alive);

public sealed record SearchResults(int Page, int PageSize, bool HasMore, IReadOnlyList<SearchHit> Results);

/// <summary>
/// Registrars' search by name, father's name, birth year and province: names are matched on folded search keys
/// (Arabic and Persian letter variants, ZWNJ). People whose keys equal the query come first, in code order, from the
/// exact-name index; when they do not fill the page, the rest are found by trigram similarity (pg_trgm), so a typo still
/// finds the person, best matches first.
/// </summary>
public sealed record SearchPersonsQuery(string GivenName, string FamilyName, string FatherName, int BirthYear, string Province, Paging Paging)
    : IQuery<SearchResults>;

public sealed class SearchPersonsHandler(IDocumentStore store, ReadConnections reads) : IQueryHandler<SearchPersonsQuery, SearchResults>
{
    public async ValueTask<SearchResults> Handle(SearchPersonsQuery q, CancellationToken cancellationToken)
    {
        var names = new[] { ("search_given_name", q.GivenName), ("search_family_name", q.FamilyName), ("search_father_name", q.FatherName) }
            .Where(n => n.Item2.Length > 0).ToArray();
        var exact = string.Join(" and ", names.Select(n => $"{n.Item1} = ?"));
        var keys = names.Select(n => (object)n.Item2).ToArray();
        var filters = new List<string>();
        var filterArgs = new List<object>();
        if (q.BirthYear != 0)
        {
            filters.Add(q.BirthYear < 1700 ? "(data ->> 'BirthYearSolarHijri')::int = ?" : "left(data ->> 'BirthDate', 4)::int = ?");
            filterArgs.Add(q.BirthYear);
        }
        if (q.Province.Length > 0)
        {
            filters.Add("data -> 'BirthPlace' ->> 'Province' = ?");
            filterArgs.Add(q.Province);
        }
        var filter = string.Concat(filters.Select(f => " and " + f));
        var window = new object[] { q.Paging.PageSize + 1, q.Paging.Skip };

        await using var connection = await reads.OpenAsync(cancellationToken);
        await using var session = ReadConnections.QuerySession(store, connection);
        var found = await session.QueryAsync<PersonSnapshot>($"where {exact}{filter} order by id limit ? offset ?", cancellationToken,
            [.. keys, .. filterArgs, .. window]);
        if (found.Count <= q.Paging.PageSize)
        {
            var similar = string.Join(" and ", names.Select(n => $"({n.Item1} % ? or {n.Item1} like ? || '%')"));
            var score = string.Join(" + ", names.Select(n => $"similarity({n.Item1}, ?)"));
            found = await session.QueryAsync<PersonSnapshot>($"where {similar}{filter} order by ({exact}) desc, {score} desc, id limit ? offset ?",
                cancellationToken, [.. keys.SelectMany(k => new[] { k, k }), .. filterArgs, .. keys, .. keys, .. window]);
        }
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
