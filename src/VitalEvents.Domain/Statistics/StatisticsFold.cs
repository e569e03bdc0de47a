namespace VitalEvents.Domain.Statistics;

/// <summary>
/// What the statistics remember of one person, as their events in the global order have told it: enough to tabulate later events
/// (a mother's age and her children so far, a spouse's first marriage, how long a marriage lasted, where a person counts in the
/// population). Kept apart from the identity snapshot so that a rebuild replays exactly what was counted live.
/// </summary>
public sealed class StatisticsPerson
{
    public string Id { get; set; } = "";
    public DateOnly? BirthDate { get; set; }
    public string? Sex { get; set; }

    /// <summary>The county (office code) the birth was registered in: where the person counts in the population.</summary>
    public string? County { get; set; }

    public DateOnly? DeathDate { get; set; }
    public int Marriages { get; set; }
    public Dictionary<Guid, DateOnly> MarriageDates { get; set; } = [];

    /// <summary>A mother's registered live-born children, in the order they were registered (their birth order).</summary>
    public List<string> Children { get; set; } = [];
}

/// <summary>A cell of a statistics table: a measure's category, for a sex ("" where none), a county, a Solar Hijri year and month.</summary>
public readonly record struct StatisticsCell(string Measure, string County, int Year, int Month, string Sex, string Category);

/// <summary>A count and the sum of a value over it (the mother's exact age at a birth, for the mean; 0 elsewhere).</summary>
public readonly record struct Tally(long Count, double Sum)
{
    public static Tally operator +(Tally a, Tally b) => new(a.Count + b.Count, a.Sum + b.Sum);
}

/// <summary>A cell of the registered population: county, sex, Solar Hijri year of birth, and of death (0 while living).</summary>
public readonly record struct PopulationCell(string County, string Sex, int BirthYear, int DeathYear);

/// <summary>
/// Tabulates events, in the global order, into changes of the statistics tables and of the registered population. Pure: the
/// people it needs (<see cref="PeopleOf"/>) are given, the ones it changed are named in <see cref="Changed"/>. An event recorded on
/// several streams (a marriage, a divorce) is counted once, from the husband's stream.
/// </summary>
public sealed class StatisticsFold(IDictionary<string, StatisticsPerson> people)
{
    public Dictionary<StatisticsCell, Tally> Counts { get; } = [];
    public Dictionary<PopulationCell, long> Population { get; } = [];
    public HashSet<string> Changed { get; } = new(StringComparer.Ordinal);

    /// <summary>The people whose state tabulating this event reads or changes (nobody, for an event the statistics do not count).</summary>
    public static IEnumerable<string> PeopleOf(string stream, object data) => data switch
    {
        BirthRegistered b when b.MotherNationalCode is { } mother => [stream, mother],
        MarriageRegistered m => [m.HusbandNationalCode, m.WifeNationalCode],
        BirthRegistered or ChildBirthRecorded or DeathRegistered or DivorceRegistered or CorrectionApproved => [stream],
        _ => [],
    };

    /// <summary>Tabulates one event of a stream; <paramref name="recordedOn"/> is the civil date it was recorded (a correction counts then).</summary>
    public void Apply(string stream, object data, DateOnly recordedOn)
    {
        switch (data)
        {
            case BirthRegistered b when b.NationalCode == stream: Birth(b); break;
            case ChildBirthRecorded c when c.ParentRole == "mother": AddChild(Person(stream), c.ChildNationalCode); break;
            case DeathRegistered d when d.NationalCode == stream: Death(d); break;
            case FoetalDeathRegistered f when f.MotherNationalCode == stream: FoetalDeath(f); break;
            case MarriageRegistered m when m.HusbandNationalCode == stream: Marriage(m); break;
            case DivorceRegistered d when d.HusbandNationalCode == stream: Divorce(d); break;
            case CorrectionApproved c: Correction(stream, c, recordedOn); break;
        }
    }

    private void Birth(BirthRegistered b)
    {
        var child = Person(b.NationalCode);
        (child.BirthDate, child.Sex, child.County) = (b.BirthDate, b.Sex, b.OfficeCode);
        Live(child, +1);

        var mother = b.MotherNationalCode is { } code && people.TryGetValue(code, out var m) && m.BirthDate is not null ? m : null;
        var motherAge = mother is null ? (double?)null : ExactAge(mother.BirthDate!.Value, b.BirthDate);
        var order = mother is null ? null : (int?)AddChild(mother, b.NationalCode);
        Count(Measures.Births, b.OfficeCode, b.BirthDate, b.Sex, "");
        Count(Measures.BirthsByMotherAge, b.OfficeCode, b.BirthDate, b.Sex, Measures.AdultAges.Of(Floor(motherAge)), motherAge ?? 0);
        Count(Measures.BirthsByOrder, b.OfficeCode, b.BirthDate, b.Sex, order switch { null => Measures.Unknown, >= 5 => "5+", _ => order.Value.ToString() });
        Count(Measures.BirthsByPlurality, b.OfficeCode, b.BirthDate, b.Sex, b.MultipleBirthOrder is null ? Measures.Single : Measures.Multiple);
        Count(Measures.BirthsByTimeliness, b.OfficeCode, b.BirthDate, b.Sex, b.LateRegistration ? Measures.Late : Measures.OnTime);
        Count(Measures.BirthsByPlace, b.OfficeCode, b.BirthDate, b.Sex, Measures.ProvinceOf(b.BirthPlace));
        if (b.LateRegistration) Count(Measures.LateRegistrations, b.OfficeCode, b.BirthDate, b.Sex, Measures.Birth);
    }

    private void Death(DeathRegistered d)
    {
        var person = Person(d.NationalCode);
        var sex = person.Sex ?? "";
        Live(person, -1);
        person.DeathDate = d.Date;
        Live(person, +1);
        var age = person.BirthDate is { } born ? Floor(ExactAge(born, d.Date)) : null;
        Count(Measures.Deaths, d.OfficeCode, d.Date, sex, "");
        Count(Measures.DeathsByAge, d.OfficeCode, d.Date, sex, Measures.DeathAges.Of(age));
        Count(Measures.DeathsByCause, d.OfficeCode, d.Date, sex, Icd10Chapters.Of(d.CausesIcd10.FirstOrDefault()) ?? Measures.Unknown);
        Count(Measures.DeathsByPlace, d.OfficeCode, d.Date, sex, Measures.ProvinceOf(d.Place));
        Count(Measures.DeathsByTimeliness, d.OfficeCode, d.Date, sex, d.LateRegistration ? Measures.Late : Measures.OnTime);
        if (d.LateRegistration) Count(Measures.LateRegistrations, d.OfficeCode, d.Date, sex, Measures.Death);
    }

    private void FoetalDeath(FoetalDeathRegistered f)
    {
        Count(Measures.FoetalDeaths, f.OfficeCode, f.Date, f.Sex ?? "", "");
        Count(Measures.FoetalDeathsByGestation, f.OfficeCode, f.Date, f.Sex ?? "", Measures.Gestation.Of(f.GestationWeeks));
    }

    private void Marriage(MarriageRegistered m)
    {
        Count(Measures.Marriages, m.OfficeCode, m.Date, "", "");
        Count(Measures.MarriagesByKind, m.OfficeCode, m.Date, "", m.Kind);
        foreach (var (code, sex) in new[] { (m.HusbandNationalCode, Vocabulary.Male), (m.WifeNationalCode, Vocabulary.Female) })
        {
            var spouse = Person(code);
            var age = spouse.BirthDate is { } born ? ExactAge(born, m.Date) : (double?)null;
            Count(Measures.MarriagesByAge, m.OfficeCode, m.Date, sex, Measures.AdultAges.Of(Floor(age)));
            if (spouse.Marriages == 0) Count(Measures.FirstMarriagesByAge, m.OfficeCode, m.Date, sex, Measures.SingleYear(Floor(age)), age ?? 0);
            spouse.Marriages++;
            if (code == m.HusbandNationalCode) spouse.MarriageDates[m.MarriageId] = m.Date;
        }
    }

    private void Divorce(DivorceRegistered d)
    {
        var husband = Person(d.HusbandNationalCode);
        var years = husband.MarriageDates.TryGetValue(d.MarriageId, out var married) ? Floor(ExactAge(married, d.Date)) : null;
        Count(Measures.Divorces, d.OfficeCode, d.Date, "", "");
        Count(Measures.DivorcesByKind, d.OfficeCode, d.Date, "", d.Kind);
        Count(Measures.DivorcesByDuration, d.OfficeCode, d.Date, "", Measures.MarriageYears.Of(years));
    }

    /// <summary>A correction counts where the person's record is kept, when it was approved; a corrected sex or birth date moves them in the population.</summary>
    private void Correction(string stream, CorrectionApproved c, DateOnly recordedOn)
    {
        var person = Person(stream);
        var county = person.County ?? "";
        Count(Measures.CorrectionsByField, county, recordedOn, person.Sex ?? "", c.Field);
        Count(Measures.CorrectionsByAuthority, county, recordedOn, person.Sex ?? "", c.Authority);
        if (c.Field is not (Vocabulary.Sex or Vocabulary.BirthDate)) return;
        Live(person, -1);
        if (c.Field == Vocabulary.Sex) person.Sex = c.NewValue;
        else person.BirthDate = DateOnly.ParseExact(c.NewValue, "yyyy-MM-dd");
        Live(person, +1);
    }

    /// <summary>Adds or removes a person's cell of the registered population (a person without a registered birth has none).</summary>
    private void Live(StatisticsPerson person, int change)
    {
        if (person.BirthDate is not { } born || person.County is null) return;
        var cell = new PopulationCell(person.County, person.Sex ?? "", SolarHijri.Year(born), person.DeathDate is { } died ? SolarHijri.Year(died) : 0);
        Population[cell] = Population.GetValueOrDefault(cell) + change;
    }

    private static int AddChild(StatisticsPerson mother, string child)
    {
        var index = mother.Children.IndexOf(child);
        if (index >= 0) return index + 1;
        mother.Children.Add(child);
        return mother.Children.Count;
    }

    private StatisticsPerson Person(string code)
    {
        if (!people.TryGetValue(code, out var person)) people[code] = person = new StatisticsPerson { Id = code };
        Changed.Add(code);
        return person;
    }

    private void Count(string measure, string county, DateOnly date, string sex, string category, double sum = 0)
    {
        var (year, month) = SolarHijri.YearMonth(date);
        var cell = new StatisticsCell(measure, county, year, month, sex, category);
        Counts[cell] = Counts.GetValueOrDefault(cell) + new Tally(1, sum);
    }

    /// <summary>
    /// Age in years with the fraction of the year (for means). Its floor is the completed years, counted by month and day: one born on
    /// 29 February completes a year on 1 March in a common year.
    /// </summary>
    public static double ExactAge(DateOnly from, DateOnly to)
    {
        var years = to.Year - from.Year - ((to.Month, to.Day).CompareTo((from.Month, from.Day)) < 0 ? 1 : 0);
        var anniversary = from.AddYears(years).DayNumber;
        var next = from.AddYears(years + 1).DayNumber;
        return years + Math.Clamp((double)(to.DayNumber - anniversary) / (next - anniversary), 0, 0.999_999);
    }

    private static int? Floor(double? age) => age is { } a ? (int)Math.Floor(a) : null;
}
