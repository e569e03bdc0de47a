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
        var relatives = (await session.LoadManyAsync<PersonSnapshot>(ct, codes)).ToDictionary(p => p.NationalCode);

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
