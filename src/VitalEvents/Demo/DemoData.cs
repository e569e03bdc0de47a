using Marten;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using VitalEvents.BirthNotifications;
using VitalEvents.Births;
using VitalEvents.Corrections;
using VitalEvents.Deaths;
using VitalEvents.Divorces;
using VitalEvents.Identity;
using VitalEvents.Marriages;
using VitalEvents.Domain;
using VitalEvents.Domain.Births;
using VitalEvents.Pipeline;
using VitalEvents.Verifications;

namespace VitalEvents.Demo;

/// <summary>A small living registry for newcomers: four families over three generations in four provinces.</summary>
public sealed class DemoData(IServiceProvider services)
{
    /// <summary>Seeds the families when the registry is empty; returns how many people were registered.</summary>
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        await using (var probe = services.GetRequiredService<IDocumentStore>().QuerySession())
            if (await probe.Query<PersonSnapshot>().AnyAsync(ct)) return 0;

        var count = 0;
        async Task<string> Born(string office, string given, string family, string sex, string date, string province, string city,
            string? mother = null, string? father = null)
        {
            count++;
            var r = await Send(office, new RegisterBirthCommand(Validator.Parse(new RegisterBirthRequest(given, family, sex, date,
                new PlaceInput(province, city, city), office, new EvidenceInput("medicalCertificate", $"MC-{office}-{count:D5}"), mother, father),
                (request, v) => request.Parse(v))), ct);
            return r.NationalCode ?? throw new InvalidOperationException($"The demo birth of {given} was held for review.");
        }
        Task<MarriageRegisteredResponse> Marry(string office, string husband, string wife, string date, string? court = null) =>
            Send(office, new RegisterMarriageCommand(Validator.Parse(new RegisterMarriageRequest(husband, wife, date, "permanent", office,
                CourtAuthorisationReference: court), (request, v) => request.Parse(v))), ct);

        // Tehran: three generations; the grandfather has died, his widow survives.
        var hossein = await Born("001", "حسین", "رضایی", "male", "1325/05/12", "تهران", "تهران");
        var fatemeh = await Born("001", "فاطمه", "محمدی", "female", "1330/02/20", "تهران", "تهران");
        await Marry("001", hossein, fatemeh, "1350/06/01");
        var ali = await Born("001", "علی", "رضایی", "male", "1355/01/15", "تهران", "تهران", fatemeh, hossein);
        await Born("001", "مریم", "رضایی", "female", "1358/09/03", "تهران", "تهران", fatemeh, hossein);
        var zahra = await Born("020", "زهرا", "کریمی", "female", "1360/04/10", "تهران", "تهران");
        await Marry("001", ali, zahra, "1383/03/20");
        await Born("001", "محمد", "رضایی", "male", "1385/11/22", "تهران", "تهران", zahra, ali);
        await Born("001", "سارا", "رضایی", "female", "1390/07/07", "تهران", "تهران", zahra, ali);
        await Send("001", new RegisterDeathCommand(Validator.Parse(new RegisterDeathRequest(hossein, "1398/10/01", new PlaceInput("تهران", "تهران", "تهران"),
            "001", "I21.9", Certifier: "بیمارستان امام خمینی"), (request, v) => request.Parse(v))), ct);

        // Tabriz: a divorce and a remarriage.
        var reza = await Born("136", "رضا", "حسینی", "male", "1340/03/03", "آذربایجان شرقی", "تبریز");
        var leila = await Born("136", "لیلا", "جعفری", "female", "1345/08/08", "آذربایجان شرقی", "تبریز");
        var first = await Marry("136", reza, leila, "1365/02/14");
        await Born("136", "امیر", "حسینی", "male", "1368/12/01", "آذربایجان شرقی", "تبریز", leila, reza);
        await Born("136", "نرگس", "حسینی", "female", "1372/06/18", "آذربایجان شرقی", "تبریز", leila, reza);
        await Send("136", new RegisterDivorceCommand(Validator.Parse(new RegisterDivorceRequest(first.MarriageId.ToString(), "1390/05/05", "irrevocable", "136"),
            (request, v) => request.Parse(v))), ct);
        var shirin = await Born("137", "شیرین", "اکبری", "female", "1352/01/30", "آذربایجان شرقی", "تبریز");
        await Marry("136", reza, shirin, "1392/04/12");

        // Arak: a child's given name corrected by the Board of Dispute Resolution, maker and checker.
        var mahdi = await Born("052", "مهدی", "احمدی", "male", "1350/10/10", "مرکزی", "اراک");
        var somayeh = await Born("052", "سمیه", "موسوی", "female", "1355/05/25", "مرکزی", "اراک");
        await Marry("052", mahdi, somayeh, "1375/11/11");
        var yasaman = await Born("052", "یاسمین", "احمدی", "female", "1380/03/09", "مرکزی", "اراک", somayeh, mahdi);
        var correction = await Send("052", new RequestCorrectionCommand(Validator.Parse(
            new RequestCorrectionRequest("givenName", "یاسمن", "board", "HE-052-1402-118", "Transcription error at registration."),
            (request, v) => request.Parse(yasaman, v))), ct, "registrar-052");
        await Send("052", new DecideCorrectionCommand(new CheckerDecision(correction.CorrectionId, null)), ct, "supervisor-052");

        // Urmia: a young family.
        var kaveh = await Born("274", "کاوه", "صادقی", "male", "1362/07/19", "آذربایجان غربی", "ارومیه");
        var parisa = await Born("274", "پریسا", "نوری", "female", "1365/09/27", "آذربایجان غربی", "ارومیه");
        await Marry("274", kaveh, parisa, "1388/08/08");
        await Born("274", "آرش", "صادقی", "male", "1392/01/05", "آذربایجان غربی", "ارومیه", parisa, kaveh);
        await Born("274", "نیلوفر", "صادقی", "female", "1397/04/21", "آذربایجان غربی", "ارومیه", parisa, kaveh);

        // A bank that verifies its customers' identities (Hoda): sign in as a verifier with the agency bank-melli.
        await Send("001", Validator.Parse(new RegisterAgencyRequest("bank-melli", "بانک ملی ایران", "Bank Melli Iran", ["account-opening"],
            ["birthDate", "givenName", "familyName", "fatherName", "alive"], 10_000, 20), (request, v) => request.Parse(v)), ct, "admin-demo");

        // A maternity hospital in Urmia has notified the birth of Parisa and Kaveh's third child, yesterday: either parent confirms
        // it online (sign in as a citizen with Parisa's or Kaveh's national code), or a registrar of office 274 completes it.
        await Send("274", Validator.Parse(new RegisterFacilityRequest("motahari-urmia", "بیمارستان شهید مطهری ارومیه", "Shahid Motahari Hospital, Urmia", "274", "ارومیه"),
            (request, v) => request.Parse(v)), ct, "admin-demo");
        var yesterday = services.GetRequiredService<TimeProvider>().Today().AddDays(-1);
        await Send("274", new NotifyBirthCommand(new NotifyBirth("MBC-274-1405-0001", new CertifierRecord("مینا رحیمی", FhirSystems.MedicalCouncil, "م-۴۸۲۱۷"),
            Vocabulary.Female, yesterday, "06:20", 1, null, 3150, 39, parisa, kaveh), NotifyBirthCommand.Json), ct, "his-motahari", facility: "motahari-urmia");
        return count;
    }

    private async Task<T> Send<T>(string office, ICommand<T> command, CancellationToken ct, string user = "demo-seed", string? facility = null)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<RequestContext>();
        (context.UserId, context.OfficeCode, context.FacilityId) = (user, office, facility);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
    }
}
