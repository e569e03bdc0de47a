using VitalEvents.Births;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Import;

/// <param name="Persons">How many lines to write (bad ones included).</param>
/// <param name="Seed">The same seed gives the same file.</param>
/// <param name="BadShare">The share of lines that are deliberately wrong, each in one way, and concern nobody else.</param>
/// <param name="VillageSize">People per village: the families that marry among themselves, and what is held in memory at once.</param>
public sealed record GeneratorOptions(int Persons, int Seed = 1, double BadShare = 0, int VillageSize = 400);

/// <summary>
/// A synthetic legacy export (docs/legacy-import.md): villages of families over generations — founders, their children
/// born 1–4 years apart while the parents are married and alive, marriages between the village's people (never siblings),
/// divorces and remarriages, deaths that widow the spouse, corrections of given names — with valid national codes issued
/// per county as the registry issues them. Deterministic for a seed and a date of export; one village in memory at a time.
/// </summary>
public static class LegacyGenerator
{
    /// <summary>The day the legacy registry was exported: no fact is later (fixed, so a seed always gives the same file).</summary>
    public static readonly DateOnly ExportedOn = new(2025, 9, 1);

    // The demo families' names (Demo/DemoData.cs), and a few more.
    private static readonly string[] Male = ["حسین", "علی", "محمد", "رضا", "امیر", "مهدی", "کاوه", "آرش", "حسن", "جواد", "سعید", "مجید", "بهرام", "داریوش"];
    private static readonly string[] Female = ["فاطمه", "مریم", "زهرا", "سارا", "لیلا", "نرگس", "شیرین", "سمیه", "یاسمین", "پریسا", "نیلوفر", "یاسمن", "مینا", "الهام"];
    private static readonly string[] Family = ["رضایی", "محمدی", "کریمی", "حسینی", "جعفری", "اکبری", "احمدی", "موسوی", "صادقی", "نوری", "رحیمی", "طاهری", "کاظمی", "قاسمی"];
    private static readonly string[] Causes = ["I21.9", "I64", "C34.9", "J44.9", "E11.9", "V89.2"];

    private sealed class P
    {
        public required string Code, LegacyId, Given, FamilyName, Sex, Office;
        public required DateOnly Birth, BirthRecorded;
        public P? Mother, Father;
        public DateOnly? Death, DeathRecorded;
        public DateOnly? FreeFrom;
        public readonly List<M> Marriages = [];
        public readonly List<P> Children = [];
        public (DateOnly Date, string LegacyId, string NewName, string Outcome)? Correction;

        public string NameOn(DateOnly date) =>
            Correction is { Outcome: LegacyCorrection.Approved } c && c.Date <= date ? c.NewName : Given;

        public DateOnly Lives => Death is { } d && d < ExportedOn ? d : ExportedOn;
    }

    private sealed class M
    {
        public required string LegacyId;
        public required P Husband, Wife;
        public required DateOnly Date;
        public DateOnly? Divorced;
        public string DivorceKind = Vocabulary.Irrevocable;
        public DateOnly? End;
    }

    public static async Task<(int Lines, int Bad)> WriteAsync(TextWriter output, GeneratorOptions options, CancellationToken ct)
    {
        var random = new Random(options.Seed);
        var serials = new Dictionary<string, int>();
        var offices = Offices.List.OrderBy(o => o.Code, StringComparer.Ordinal).ToArray();
        var (written, bad) = (0, 0);
        var ids = new Ids();
        string Issue(string county)
        {
            while (true)
            {
                var serial = serials[county] = serials.GetValueOrDefault(county) + 1;
                if (NationalCode.Issue(county, serial) is { } code) return code;
            }
        }

        var owed = 0.0;
        while (written < options.Persons)
        {
            ct.ThrowIfCancellationRequested();
            var budget = Math.Min(options.Persons - written, options.VillageSize);
            // A third of the villages are in counties whose codes begin with zeros: some of their lines keep codes as numbers.
            var office = random.Next(3) == 0 ? offices[random.Next(66)] : offices[random.Next(offices.Length)];
            var village = Village(random, office, budget, () => Issue(office.Code), ids);
            foreach (var person in village.OrderBy(p => p.Birth).ThenBy(p => p.LegacyId, StringComparer.Ordinal))
                await output.WriteLineAsync(LegacyFormat.Write(Line(person, office, random)));
            written += village.Count;
            owed += village.Count * options.BadShare / (1 - options.BadShare);
            for (; owed >= 1 && written < options.Persons; owed--, written++, bad++)
                await output.WriteLineAsync(Bad(random, bad, Issue(office.Code), $"P{++ids.Person:D9}", office));
        }
        return (written, bad);
    }

    private sealed class Ids
    {
        public int Person, Marriage;
    }

    private static List<P> Village(Random random, Office office, int budget, Func<string> issue, Ids ids)
    {
        var people = new List<P>();
        P Born(string sex, DateOnly birth, P? mother, P? father)
        {
            var life = random.Next(100) < 4 ? random.Next(2, 40) : random.Next(55, 95);
            var death = birth.AddYears(life).AddDays(random.Next(365));
            var p = new P
            {
                Code = issue(), LegacyId = $"P{++ids.Person:D9}", Sex = sex, Office = office.Code, Birth = birth,
                BirthRecorded = Min(birth.AddDays(random.Next(100) < 85 ? random.Next(0, 15) : random.Next(16, 400)), ExportedOn),
                Given = Pick(random, sex == Vocabulary.Male ? Male : Female), FamilyName = father?.FamilyName ?? Pick(random, Family),
                Mother = mother, Father = father,
            };
            if (death < ExportedOn) (p.Death, p.DeathRecorded) = (death, Min(death.AddDays(random.Next(0, 20)), ExportedOn));
            p.FreeFrom = birth.AddYears(sex == Vocabulary.Male ? 20 : 18).AddDays(random.Next(2000));
            if (random.Next(100) < 5 && birth.AddYears(2) is var corrected && corrected.AddDays(3650) < p.Lives)
            {
                var date = corrected.AddDays(random.Next(3650));
                string name;
                do name = Pick(random, sex == Vocabulary.Male ? Male : Female); while (name == p.Given);
                var roll = random.Next(10);
                p.Correction = (date, $"C{p.LegacyId[1..]}", name, roll < 7 ? LegacyCorrection.Approved : roll < 9 ? LegacyCorrection.Rejected : LegacyCorrection.Pending);
            }
            people.Add(p);
            return p;
        }

        var founders = Math.Max(1, Math.Min(10, budget / 20));
        for (var i = 0; i < founders * 2 && people.Count < budget; i++)
            Born(i % 2 == 0 ? Vocabulary.Male : Vocabulary.Female, new DateOnly(1915, 1, 1).AddDays(random.Next(30 * 365)), null, null);

        for (var round = 0; round < 10 && people.Count < budget; round++)
        {
            var men = people.Where(p => p.Sex == Vocabulary.Male && p.FreeFrom is { } f && f < p.Lives).OrderBy(p => p.FreeFrom).ToList();
            var women = people.Where(p => p.Sex == Vocabulary.Female && p.FreeFrom is { } f && f < p.Lives).OrderBy(p => p.FreeFrom).ToList();
            var married = 0;
            foreach (var man in men)
            {
                if (people.Count >= budget) break;
                if (random.Next(100) >= 85) { man.FreeFrom = null; continue; }
                var wife = women.FirstOrDefault(w => w.FreeFrom is { } f && Math.Abs(f.DayNumber - man.FreeFrom!.Value.DayNumber) < 6 * 365
                    && (w.Mother is null || w.Mother != man.Mother) && (w.Father is null || w.Father != man.Father) && w != man.Mother
                    && w.Birth < man.Birth.AddYears(8) && w.Birth > man.Birth.AddYears(-15));
                if (wife is null) continue;
                var date = Max(man.FreeFrom!.Value, wife.FreeFrom!.Value).AddDays(random.Next(700));
                if (date >= Min(man.Lives, wife.Lives) || RegistryLaw.AgeOn(wife.Birth, date) < 16) continue;
                var m = new M { LegacyId = $"M{++ids.Marriage:D9}", Husband = man, Wife = wife, Date = date };
                man.Marriages.Add(m);
                wife.Marriages.Add(m);
                (man.FreeFrom, wife.FreeFrom) = (null, null);
                women.Remove(wife);
                married++;
                var divorce = random.Next(100) < 12 ? date.AddDays(random.Next(365, 15 * 365)) : (DateOnly?)null;
                var endByDeath = Min(man.Death ?? DateOnly.MaxValue, wife.Death ?? DateOnly.MaxValue);
                if (divorce is { } d && d < endByDeath && d < ExportedOn)
                {
                    (m.Divorced, m.End, m.DivorceKind) = (d, d, random.Next(2) == 0 ? Vocabulary.Revocable : Vocabulary.Irrevocable);
                    (man.FreeFrom, wife.FreeFrom) = (d.AddYears(1).AddDays(random.Next(1500)), d.AddYears(1).AddDays(random.Next(1500)));
                }
                else if (endByDeath < ExportedOn)
                {
                    m.End = endByDeath;
                    var survivor = man.Death == endByDeath ? wife : man;
                    if (survivor.Death != endByDeath) survivor.FreeFrom = endByDeath.AddYears(1).AddDays(random.Next(1500));
                }
                // Children while the marriage lasts and both parents live; the mother under 45.
                var wanted = random.Next(0, 6);
                var born = date.AddDays(random.Next(300, 1500));
                var until = Min(m.End ?? ExportedOn, Min(man.Lives, Min(wife.Lives, wife.Birth.AddYears(45))));
                for (var c = 0; c < wanted && born < until && people.Count < budget; c++)
                {
                    var child = Born(random.Next(2) == 0 ? Vocabulary.Male : Vocabulary.Female, born, wife, man);
                    man.Children.Add(child);
                    wife.Children.Add(child);
                    born = born.AddDays(random.Next(400, 1500));
                }
            }
            if (married == 0) break;
        }
        return people;
    }

    private static LegacyPerson Line(P p, Office office, Random random)
    {
        var place = new PlaceInput(office.Province, office.County, office.County);
        var facts = new List<(DateOnly Date, int Rank, LegacyFact Fact)>();
        foreach (var m in p.Marriages)
        {
            var spouse = m.Husband == p ? m.Wife : m.Husband;
            facts.Add((m.Date, 1, new LegacyMarriage
            {
                LegacyId = m.LegacyId, Date = SolarHijri.Format(m.Date), OfficeCode = m.Husband.Office, HusbandNationalCode = m.Husband.Code,
                WifeNationalCode = m.Wife.Code, Kind = Vocabulary.Permanent, Spouse = Ref(spouse, m.Date),
            }));
            if (m.Divorced is { } d)
                facts.Add((d, 2, new LegacyDivorce
                {
                    MarriageLegacyId = m.LegacyId, Date = SolarHijri.Format(d), OfficeCode = m.Husband.Office, Kind = m.DivorceKind,
                    WaitingPeriodEnds = SolarHijri.Format(d.AddDays(100)),
                }));
            else if (m.End is { } end && spouse.Death == end && p.Death != end)
                facts.Add((end, 4, new LegacySpouseDeath
                {
                    MarriageLegacyId = m.LegacyId, Date = SolarHijri.Format(end), RegisteredOn = SolarHijri.Format(spouse.DeathRecorded!.Value), OfficeCode = spouse.Office,
                }));
        }
        foreach (var c in p.Children)
        {
            var other = c.Mother == p ? c.Father : c.Mother;
            facts.Add((c.Birth, 0, new LegacyChild
            {
                NationalCode = c.Code, LegacyId = c.LegacyId, Date = SolarHijri.Format(c.Birth), RegisteredOn = SolarHijri.Format(c.BirthRecorded),
                OfficeCode = c.Office, GivenName = c.Given, FamilyName = c.FamilyName, Sex = c.Sex, OtherParent = other is null ? null : Ref(other, c.Birth),
            }));
        }
        if (p.Correction is { } k)
            facts.Add((k.Date, 3, new LegacyCorrection
            {
                LegacyId = k.LegacyId, Date = SolarHijri.Format(k.Date), OfficeCode = p.Office, Field = Vocabulary.GivenName, NewValue = k.NewName,
                Authority = Vocabulary.Board, DecisionReference = $"HE-{p.Office}-{k.LegacyId[1..]}", Reason = "Transcription error at registration.",
                RequestedBy = $"registrar-{p.Office}", Outcome = k.Outcome, DecidedBy = k.Outcome == LegacyCorrection.Pending ? null : $"supervisor-{p.Office}",
                RejectionReason = k.Outcome == LegacyCorrection.Rejected ? "The evidence does not support the change." : null,
            }));
        if (p.Death is { } died)
            facts.Add((died, 5, new LegacyDeath
            {
                Date = SolarHijri.Format(died), RegisteredOn = SolarHijri.Format(p.DeathRecorded!.Value), OfficeCode = p.Office, Place = place,
                CausesIcd10 = [Pick(random, Causes)], Certifier = $"بیمارستان {office.County}",
            }));

        var person = new LegacyPerson(p.LegacyId, p.Code,
            new LegacyBirth(p.Given, p.FamilyName, p.Sex, SolarHijri.Format(p.Birth), place, p.Office,
                new EvidenceInput(Vocabulary.MedicalCertificate, $"MC-{p.Office}-{p.LegacyId[1..]}"),
                BirthTime: p.Birth.Year >= 1990 ? $"{random.Next(24):D2}:{random.Next(60):D2}" : null,
                MotherName: p.Mother is null ? Pick(random, Female) : null, FatherName: p.Father is null ? Pick(random, Male) : null,
                RegisteredOn: SolarHijri.Format(p.BirthRecorded)),
            p.Mother is null ? null : Ref(p.Mother, p.Birth), p.Father is null ? null : Ref(p.Father, p.Birth),
            facts.OrderBy(f => f.Date).ThenBy(f => f.Rank).Select(f => f.Fact).ToList());
        // Some lines of counties whose codes begin with zeros keep every code as a number, and say so.
        return p.Code[0] == '0' && random.Next(10) < 3 ? WithoutLeadingZeros(person) : person;
    }

    private static LegacyPersonRef Ref(P p, DateOnly on) =>
        new(p.Code, p.LegacyId, p.NameOn(on), p.FamilyName, SolarHijri.Format(p.Birth), p.Mother?.Code, p.Father?.Code);

    private static LegacyPerson WithoutLeadingZeros(LegacyPerson p)
    {
        static string? Strip(string? code) => code is { Length: 10 } && code.TrimStart('0') is { Length: >= 8 } s ? s : code;
        static LegacyPersonRef? StripRef(LegacyPersonRef? r) => r is null ? null
            : r with { NationalCode = Strip(r.NationalCode), MotherNationalCode = Strip(r.MotherNationalCode), FatherNationalCode = Strip(r.FatherNationalCode) };
        var facts = p.Events!.Select(f => f switch
        {
            LegacyMarriage m => m with { HusbandNationalCode = Strip(m.HusbandNationalCode), WifeNationalCode = Strip(m.WifeNationalCode), Spouse = StripRef(m.Spouse) },
            LegacyChild c => c with { NationalCode = Strip(c.NationalCode), OtherParent = StripRef(c.OtherParent) },
            _ => f,
        }).ToList();
        return p with
        {
            NationalCode = Strip(p.NationalCode), Mother = StripRef(p.Mother), Father = StripRef(p.Father), Events = facts, CodeStoredWithoutLeadingZeros = true,
        };
    }

    /// <summary>A line wrong in one way (the kind cycles): the refusal report's test cases. Nobody else's line refers to it.</summary>
    private static string Bad(Random random, int kind, string code, string legacyId, Office office)
    {
        var place = new PlaceInput(office.Province, office.County, office.County);
        var birth = new DateOnly(1960, 1, 1).AddDays(random.Next(40 * 365));
        var line = new LegacyPerson(legacyId, code, new LegacyBirth(Pick(random, Male), Pick(random, Family), Vocabulary.Male, SolarHijri.Format(birth), place,
            office.Code, new EvidenceInput(Vocabulary.MedicalCertificate, $"MC-{office.Code}-{legacyId[1..]}"), MotherName: Pick(random, Female), FatherName: Pick(random, Male)), Events: []);
        switch (kind % 7)
        {
            case 0: return LegacyFormat.Write(line with { NationalCode = code[..9] + (char)('0' + (code[9] - '0' + 1) % 10) });
            case 1: return LegacyFormat.Write(line with { NationalCode = code[1..] });
            case 2:
                return LegacyFormat.Write(line with
                {
                    Events = [new LegacyDeath { Date = SolarHijri.Format(birth.AddDays(-30)), OfficeCode = office.Code, Place = place, CausesIcd10 = ["I21.9"] }],
                });
            case 3: return LegacyFormat.Write(line with { Birth = line.Birth! with { OfficeCode = "0000" } });
            case 4: return LegacyFormat.Write(line with { Birth = line.Birth! with { GivenName = "علی۱۲۳" } });
            case 5: return LegacyFormat.Write(line)[..40];
            default:
                return LegacyFormat.Write(line with
                {
                    Events = [new LegacyMarriage
                    {
                        LegacyId = $"M-{legacyId}", Date = SolarHijri.Format(birth.AddYears(10)), OfficeCode = office.Code, HusbandNationalCode = code,
                        WifeNationalCode = NationalCode.Issue(office.Code, 999_000 + kind % 900) ?? NationalCode.Issue(office.Code, 999_999)!, Kind = Vocabulary.Permanent,
                        Spouse = new LegacyPersonRef(null, $"W-{legacyId}", Pick(random, Female), Pick(random, Family), SolarHijri.Format(birth.AddYears(-2))),
                    }],
                });
        }
    }

    private static string Pick(Random random, string[] names) => names[random.Next(names.Length)];
    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
