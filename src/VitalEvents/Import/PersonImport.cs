using VitalEvents.Births;
using VitalEvents.Corrections;
using VitalEvents.Deaths;
using VitalEvents.Divorces;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Domain.Corrections;
using VitalEvents.Domain.Deaths;
using VitalEvents.Domain.Divorces;
using VitalEvents.Domain.Marriages;
using VitalEvents.Marriages;
using VitalEvents.Pipeline;

namespace VitalEvents.Import;

/// <summary>An event a decision put on some stream, with the office that recorded it and when the legacy registry recorded it.</summary>
public sealed record DecidedEvent(string NationalCode, object Data, string OfficeCode, DateOnly RecordedOn);

/// <summary>An accepted line: the person, and everything the decisions on their facts produced (their own stream's events and the others').</summary>
public sealed record ImportedPerson(long Line, string LegacyId, string NationalCode, IReadOnlyList<DecidedEvent> Decided)
{
    public IEnumerable<DecidedEvent> Own => Decided.Where(e => e.NationalCode == NationalCode);
}

/// <summary>
/// Turns one line into the events the registry's commands would have recorded: every field through the request types'
/// validators, every fact through the domain's decision, in the line's order. The other people a fact concerns are stood in
/// for by what the line says of them (code, sex, birth date, name, parents), folded forward with the same events, so each rule
/// is checked on the line of the person it is about. Registration deadlines do not refuse: a fact is decided as of the day
/// the legacy registry recorded it, which only marks it late.
/// </summary>
public static class PersonImport
{
    private static readonly PlaceInput Unknown = new("-", "-", "-");

    public static ImportedPerson? Decide(long lineNumber, string line, DateOnly today, out RefusedLine? refused)
    {
        var person = LegacyFormat.Read(line, out var problem);
        if (person is null)
        {
            refused = new RefusedLine(lineNumber, null, null, [problem!]);
            return null;
        }
        var reasons = new List<RefusalReason>();
        var imported = Decide(lineNumber, person, today, reasons);
        refused = imported is null ? new RefusedLine(lineNumber, person.LegacyId, person.NationalCode, reasons) : null;
        return imported;
    }

    private static ImportedPerson? Decide(long lineNumber, LegacyPerson p, DateOnly today, List<RefusalReason> reasons)
    {
        var pad = p.CodeStoredWithoutLeadingZeros;
        string? Code(string? code) => LegacyFormat.Code(code, pad);
        T Field<T>(string prefix, Func<Validator, T> parse)
        {
            var v = new Validator();
            var value = parse(v);
            reasons.AddRange(v.Errors.Select(e => new RefusalReason(e.Code, prefix.Length == 0 ? e.Field : $"{prefix}.{e.Field}", e.Message)));
            return value;
        }

        // First every field, the way the requests read them: all the line's errors are reported together.
        var legacyId = Field("", v => v.Text("legacyId", p.LegacyId, 100));
        var code = Field("", v => v.NationalCode("nationalCode", Code(p.NationalCode)));
        if (p.Birth is not { } b)
        {
            reasons.Add(new RefusalReason("legacy.birthRequired", "birth", "A person's line starts with their birth."));
            return null;
        }
        var mother = Reference("mother", p.Mother, Vocabulary.Female);
        var father = Reference("father", p.Father, Vocabulary.Male);
        var birth = Field("birth", v => new RegisterBirthRequest(b.GivenName, b.FamilyName, b.Sex, b.BirthDate, b.BirthPlace, b.OfficeCode, b.Evidence,
            mother?.NationalCode, father?.NationalCode, b.BirthTime, b.MultipleBirthOrder, b.MotherName, b.FatherName).Parse(v));
        var birthRecorded = Field("birth", v => v.OptionalDate("registeredOn", b.RegisteredOn)) ?? birth.BirthDate;
        var facts = (p.Events ?? []).Select((fact, i) => Parse(fact, $"events[{i}]")).ToList();
        if (reasons.Count > 0) return null;

        // Then the decisions, in the line's order, each as of the day it was recorded.
        var people = new Dictionary<string, Person?> { [code] = null };
        if (mother is not null) people[mother.NationalCode] = mother;
        if (father is not null) people[father.NationalCode] = father;
        var decided = new List<DecidedEvent>();
        var last = DateOnly.MinValue;
        bool Apply(string field, Decision decision, string office, DateOnly date, DateOnly recorded)
        {
            if (recorded > today) decision = new RuleViolation("legacy.recordedInFuture", $"Recorded on {recorded:yyyy-MM-dd}, after today.", ViolationKind.Invalid, "registeredOn");
            else if (decision.Accepted && date < last) decision = new RuleViolation("legacy.outOfOrder", $"Dated {date:yyyy-MM-dd}, before the line's fact before it ({last:yyyy-MM-dd}); a line lists its facts oldest first.", ViolationKind.Invalid, "date");
            if (decision.Violation is { } violation)
            {
                reasons.Add(new RefusalReason(violation.Code, violation.Field is null ? field : $"{field}.{violation.Field}", violation.Message));
                return false;
            }
            last = date;
            foreach (var e in decision.Events)
            {
                people[e.NationalCode] = Person.Evolve(people.GetValueOrDefault(e.NationalCode), e.Event);
                decided.Add(new DecidedEvent(e.NationalCode, e.Event, office, recorded));
            }
            return true;
        }

        if (!Apply("birth", BirthDecision.Decide(birth, code, mother, father, birthRecorded), birth.OfficeCode, birth.BirthDate, birthRecorded)) return null;
        foreach (var (fact, i) in facts.Select((f, i) => (f, i)))
        {
            var self = people[code]!;
            if (!Apply($"events[{i}]", fact.Decide(self, people), fact.Office, fact.Date, fact.Recorded)) return null;
        }
        return new ImportedPerson(lineNumber, legacyId, code, decided);

        Person? Reference(string field, LegacyPersonRef? r, string sex)
        {
            if (r is null) return null;
            var referenced = Field(field, v => (Code: v.NationalCode("nationalCode", Code(r.NationalCode)), LegacyId: v.OptionalText("legacyId", r.LegacyId, 100),
                GivenName: v.OptionalName("givenName", r.GivenName), FamilyName: v.OptionalName("familyName", r.FamilyName), BirthDate: v.Date("birthDate", r.BirthDate),
                Mother: v.OptionalNationalCode("motherNationalCode", Code(r.MotherNationalCode)), Father: v.OptionalNationalCode("fatherNationalCode", Code(r.FatherNationalCode))));
            return new Person
            {
                NationalCode = referenced.Code, GivenName = referenced.GivenName ?? string.Empty, FamilyName = referenced.FamilyName ?? string.Empty,
                Sex = sex, BirthDate = referenced.BirthDate, MotherNationalCode = referenced.Mother, FatherNationalCode = referenced.Father,
            };
        }

        Fact Parse(LegacyFact fact, string prefix)
        {
            var date = Field(prefix, v => v.Date("date", fact.Date));
            var recorded = Field(prefix, v => v.OptionalDate("registeredOn", fact.RegisteredOn)) ?? date;
            var office = Field(prefix, v => v.Office("officeCode", fact.OfficeCode));
            switch (fact)
            {
                case LegacyMarriage m:
                {
                    var id = Field(prefix, v => v.Text("legacyId", m.LegacyId, 100));
                    var husband = Code(m.HusbandNationalCode);
                    var wife = Code(m.WifeNationalCode);
                    var command = Field(prefix, v => new RegisterMarriageRequest(husband, wife, fact.Date, m.Kind, fact.OfficeCode, m.TermEnds,
                        m.CourtAuthorisationReference, m.CourtPermissionReference).Parse(v)) with { MarriageId = LegacyFormat.IdOf("marriage", id) };
                    var spouseIsWife = command.HusbandNationalCode == code;
                    if (!spouseIsWife && command.WifeNationalCode != code)
                        reasons.Add(new RefusalReason("legacy.notOwnFact", prefix, $"The marriage is neither husband's nor wife's: the line is {code}'s."));
                    var spouse = Reference($"{prefix}.spouse", (m.Spouse ?? new LegacyPersonRef(null, null)) with { NationalCode = spouseIsWife ? wife : husband },
                        spouseIsWife ? Vocabulary.Female : Vocabulary.Male);
                    return new Fact(date, recorded, office, (self, people) =>
                    {
                        if (spouse is not null) people.TryAdd(spouse.NationalCode, spouse);
                        return MarriageDecision.Decide(command, people[command.HusbandNationalCode], people[command.WifeNationalCode], recorded);
                    });
                }
                case LegacyDivorce d:
                {
                    var id = Field(prefix, v => v.Text("marriageLegacyId", d.MarriageLegacyId, 100));
                    var marriageId = LegacyFormat.IdOf("marriage", id);
                    var command = Field(prefix, v => new RegisterDivorceRequest(marriageId.ToString(), fact.Date, d.Kind, fact.OfficeCode, d.WaitingPeriodEnds).Parse(v));
                    return new Fact(date, recorded, office, (self, people) => Spouses(self, people, marriageId) is var (husband, wife)
                        ? DivorceDecision.Decide(command, husband, wife, recorded)
                        : UnknownMarriage(id));
                }
                case LegacyChild c:
                {
                    var other = Reference($"{prefix}.otherParent", c.OtherParent, Vocabulary.Male);
                    string? otherCode = other?.NationalCode;
                    var childCode = Field(prefix, v => v.NationalCode("nationalCode", Code(c.NationalCode)));
                    var childRequest = (string? motherCode, string? fatherCode) => new RegisterBirthRequest(c.GivenName, c.FamilyName, c.Sex, fact.Date, Unknown,
                        fact.OfficeCode, new EvidenceInput(Vocabulary.MedicalCertificate, "legacy"), motherCode, fatherCode, MultipleBirthOrder: c.MultipleBirthOrder);
                    // Which parent this line is decides the other parent's sex; the line's own sex is read at the decision.
                    var asMother = Field(prefix, v => childRequest(code, otherCode).Parse(v));
                    var asFather = asMother with { MotherNationalCode = otherCode, FatherNationalCode = code };
                    return new Fact(date, recorded, office, (self, people) =>
                    {
                        var isMother = self.Sex == Vocabulary.Female;
                        var otherParent = other is null ? null : other with { Sex = isMother ? Vocabulary.Male : Vocabulary.Female };
                        if (otherParent is not null) people.TryAdd(otherParent.NationalCode, otherParent);
                        var known = otherParent is null ? null : people[otherParent.NationalCode];
                        return isMother
                            ? BirthDecision.Decide(asMother, childCode, self, known, recorded)
                            : BirthDecision.Decide(asFather, childCode, known, self, recorded);
                    });
                }
                case LegacyDeath d:
                {
                    var command = Field(prefix, v => new RegisterDeathRequest(code, fact.Date, d.Place, fact.OfficeCode, null, d.CausesIcd10, d.Certifier).Parse(v));
                    return new Fact(date, recorded, office, (self, _) => DeathDecision.Decide(command, self, recorded));
                }
                case LegacySpouseDeath s:
                {
                    var id = Field(prefix, v => v.Text("marriageLegacyId", s.MarriageLegacyId, 100));
                    var marriageId = LegacyFormat.IdOf("marriage", id);
                    return new Fact(date, recorded, office, (self, people) =>
                    {
                        var bond = self.Marriages.FirstOrDefault(m => m.MarriageId == marriageId);
                        if (bond is null || people.GetValueOrDefault(bond.SpouseNationalCode) is not { } spouse) return UnknownMarriage(id);
                        var command = new RegisterDeath(spouse.NationalCode, date, new PlaceRecord("-", "-", "-"), [], null, office);
                        return DeathDecision.Decide(command, spouse, recorded);
                    });
                }
                case LegacyCorrection k:
                {
                    var id = LegacyFormat.IdOf("correction", Field(prefix, v => v.Text("legacyId", k.LegacyId, 100)));
                    var request = Field(prefix, v => new RequestCorrectionRequest(k.Field, k.NewValue, k.Authority, k.DecisionReference, k.Reason).Parse(code, v));
                    var requestedBy = Field(prefix, v => v.Text("requestedBy", k.RequestedBy, 100));
                    var outcome = Field(prefix, v => v.OneOf("outcome", k.Outcome, LegacyCorrection.Outcomes));
                    var decidedBy = outcome == LegacyCorrection.Pending ? null : Field(prefix, v => v.Text("decidedBy", k.DecidedBy, 100));
                    var rejection = outcome == LegacyCorrection.Rejected ? Field(prefix, v => v.Text("rejectionReason", k.RejectionReason, 1000)) : null;
                    var command = request with { CorrectionId = id, RequestedBy = requestedBy, OfficeCode = office };
                    return new Fact(date, recorded, office, (self, _) =>
                    {
                        var asked = CorrectionDecision.Decide(command, self);
                        if (!asked.Accepted || decidedBy is null) return asked;
                        var after = asked.Events.Aggregate((Person?)self, (s, e) => Person.Evolve(s, e.Event))!;
                        var decision = rejection is null
                            ? CorrectionDecision.Decide(new ApproveCorrection(code, id, decidedBy, office), after)
                            : CorrectionDecision.Decide(new RejectCorrection(code, id, decidedBy, rejection, office), after);
                        return decision.Accepted ? Decision.Accept(asked.Events.Concat(decision.Events)) : decision;
                    });
                }
                default:
                    reasons.Add(new RefusalReason("legacy.unknownFact", prefix, "Not a kind of fact the format has."));
                    return new Fact(date, recorded, office, (_, _) => Decision.Accept());
            }
        }
    }

    private static (Person Husband, Person Wife)? Spouses(Person self, Dictionary<string, Person?> people, Guid marriageId)
    {
        var bond = self.Marriages.Concat(self.PastMarriages.Select(p => p.Bond)).FirstOrDefault(m => m.MarriageId == marriageId);
        if (bond is null || people.GetValueOrDefault(bond.SpouseNationalCode) is not { } spouse) return null;
        return self.Sex == Vocabulary.Male ? (self, spouse) : (spouse, self);
    }

    private static RuleViolation UnknownMarriage(string legacyId) =>
        new("marriage.notFound", $"No marriage {legacyId} comes before on this line.", ViolationKind.NotFound, "marriageLegacyId");

    private sealed record Fact(DateOnly Date, DateOnly Recorded, string Office, Func<Person, Dictionary<string, Person?>, Decision> Decide);
}
