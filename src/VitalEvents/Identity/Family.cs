using Marten;

namespace VitalEvents.Identity;

/// <summary>
/// Resolves the names of a person's parents, spouses, children and guardian from their own current records, so a parent's
/// view shows a child's corrected name. Names are current even when the snapshot is read as of an earlier point.
/// </summary>
public static class Family
{
    public static async Task<PersonSnapshot> ResolveAsync(PersonSnapshot person, IQuerySession session, CancellationToken ct)
    {
        var codes = new[] { person.Mother?.NationalCode, person.Father?.NationalCode, person.Guardian?.NationalCode }
            .Concat(person.Spouses.Select(s => s.NationalCode)).Concat(person.Children.Select(c => c.NationalCode))
            .OfType<string>().Distinct().ToArray();
        if (codes.Length == 0) return person;
        return Resolve(person, (await session.LoadManyAsync<PersonSnapshot>(ct, codes)).ToDictionary(p => p.NationalCode));
    }

    /// <summary>
    /// A person's current snapshot and their relatives' in one round trip (the relatives' codes are read from the stored snapshot
    /// by the database), the names resolved; null when the person has no snapshot.
    /// </summary>
    public static async Task<PersonSnapshot?> LoadCurrentAsync(IQuerySession session, string nationalCode, CancellationToken ct)
    {
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.mt_doc_personsnapshot";
        // The relatives' codes as an array (an init plan), so each is one index probe whatever the planner guesses of their number.
        var found = await session.QueryAsync<PersonSnapshot>($$"""
            select data from {{table}} where id = ?
            union all
            select data from {{table}} where id <> ? and id = any(array(
                select k.code #>> '{}' from {{table}} p cross join lateral (
                    select jsonb_path_query(p.data, '$.Mother.NationalCode') union all select jsonb_path_query(p.data, '$.Father.NationalCode')
                    union all select jsonb_path_query(p.data, '$.Guardian.NationalCode') union all select jsonb_path_query(p.data, '$.Spouses[*].NationalCode')
                    union all select jsonb_path_query(p.data, '$.Children[*].NationalCode')) k(code)
                where p.id = ?))
            """, ct, nationalCode, nationalCode, nationalCode);
        if (found.FirstOrDefault(p => p.NationalCode == nationalCode) is not { } person) return null;
        return Resolve(person, found.Where(p => p.NationalCode != nationalCode).ToDictionary(p => p.NationalCode));
    }

    private static PersonSnapshot Resolve(PersonSnapshot person, Dictionary<string, PersonSnapshot> relatives)
    {
        PersonLink? Parent(PersonLink? link) => link?.NationalCode is { } code && relatives.TryGetValue(code, out var p)
            ? link with { GivenName = p.GivenName, FamilyName = p.FamilyName, Alive = p.Alive }
            : link;
        person.Mother = Parent(person.Mother);
        person.Father = Parent(person.Father);
        person.Spouses = person.Spouses
            .Select(s => relatives.TryGetValue(s.NationalCode, out var p) ? s with { GivenName = p.GivenName, FamilyName = p.FamilyName } : s)
            .ToList();
        person.Children = person.Children
            .Select(c => relatives.TryGetValue(c.NationalCode, out var p)
                ? c with { GivenName = p.GivenName, FamilyName = p.FamilyName, Sex = p.Sex, BirthDate = p.BirthDate, Alive = p.Alive }
                : c)
            .ToList();
        if (person.Guardian is { } guardian && relatives.TryGetValue(guardian.NationalCode, out var g))
            person.Guardian = guardian with { Name = $"{g.GivenName} {g.FamilyName}" };
        return person;
    }
}
