using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VitalEvents.Domain;
using static VitalEvents.Tests.Requests;

namespace VitalEvents.Tests;

/// <summary>Registrars' search (letter variants, typos, ranking, paging) and the duplicate hold at birth registration.</summary>
public sealed class SearchAndDuplicateTests(RegistryFactory registry) : IClassFixture<RegistryFactory>, IAsyncLifetime
{
    private readonly HttpClient _registrar = registry.As("registrar", user: "reg-1");

    public Task InitializeAsync() => registry.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonArray> Search(string query)
    {
        var response = await _registrar.GetAsync($"/api/persons?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Json())["results"]!.AsArray();
    }

    private static IEnumerable<string> Codes(JsonArray results) => results.Select(r => r!.Str("nationalCode"));

    [Fact]
    public async Task Search_finds_names_across_Arabic_and_Persian_letters_and_a_typo_best_match_first()
    {
        var father = await _registrar.Born(Birth("مهدی", "کاظمی", "male", "1350/01/01"));
        var mother = await _registrar.Born(Birth("زهرا", "یزدی", "female", "1355/01/01"));
        var ali = await _registrar.Born(Birth("علی", "کاظمی", "male", "1380/05/05", mother, father));
        var other = await _registrar.Born(Birth("علی", "کاظمیان", "male", "1381/01/01"));
        await _registrar.Born(Birth("مریم", "رضایی", "female", "1380/01/01"));

        Codes(await Search($"familyName={Uri.EscapeDataString("كاظمي")}&givenName={Uri.EscapeDataString("علي")}"))
            .First().Should().Be(ali, "Arabic Kaf and Yeh find the name stored with Persian letters, and the exact match ranks first");
        Codes(await Search($"familyName={Uri.EscapeDataString("کاظمى")}")).Should().Contain([father, ali]);
        Codes(await Search($"familyName={Uri.EscapeDataString("کاظمیی")}")).Should().Contain(ali, "one typo still finds the person");
        Codes(await Search($"givenName={Uri.EscapeDataString("علی")}&fatherName={Uri.EscapeDataString("مهدی")}")).First().Should().Be(ali);
        Codes(await Search($"givenName={Uri.EscapeDataString("علی")}&birthYear=1381")).Should().Equal(other);
        Codes(await Search($"givenName={Uri.EscapeDataString("علی")}&birthYear=2001")).Should().Equal(ali);
        (await Search($"familyName={Uri.EscapeDataString("کاظمی")}&province={Uri.EscapeDataString("اصفهان")}")).Should().BeEmpty();
    }

    [Fact]
    public async Task Names_typed_with_Arabic_letters_are_stored_normalised_and_found_with_Persian_ones()
    {
        var stored = await _registrar.Born(Birth("كريم", "كاظمي", "male", "1370/01/01"));
        (await _registrar.Person(stored)).Str("givenName").Should().Be("کریم", "names are stored normalised");
        Codes(await Search($"givenName={Uri.EscapeDataString("کریم")}")).Should().Equal(stored);
    }

    [Fact]
    public async Task Search_pages_and_refuses_an_empty_query()
    {
        for (var i = 0; i < 5; i++) await _registrar.Born(Birth("نیما", "صادقی", "male", $"137{i}/01/01"));

        var first = await (await _registrar.GetAsync($"/api/persons?familyName={Uri.EscapeDataString("صادقی")}&pageSize=2")).Json();
        first["results"]!.AsArray().Should().HaveCount(2);
        first["hasMore"]!.GetValue<bool>().Should().BeTrue();
        var third = await (await _registrar.GetAsync($"/api/persons?familyName={Uri.EscapeDataString("صادقی")}&pageSize=2&page=3")).Json();
        third["results"]!.AsArray().Should().ContainSingle();
        third["hasMore"]!.GetValue<bool>().Should().BeFalse();

        var empty = await _registrar.GetAsync("/api/persons?birthYear=1370");
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await empty.Json()).Str("code").Should().Be("search.criteriaRequired");
        (await registry.CreateClient().GetAsync("/api/persons?givenName=x")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Exact_names_come_first_in_code_order_and_the_similar_ones_follow_them_across_pages()
    {
        var similar = await _registrar.Born(Birth("نیما", "صادقیان", "male", "1371/01/01"));
        var bornIn = new Dictionary<int, string>();
        for (var year = 1370; year < 1374; year++) bornIn[year] = await _registrar.Born(Birth("نیما", "صادقی", "male", $"{year}/01/01"));
        var exact = bornIn.Values.Order(StringComparer.Ordinal).ToList();

        var query = $"givenName={Uri.EscapeDataString("نيما")}&familyName={Uri.EscapeDataString("صادقي")}&pageSize=3";
        var pages = new List<string>();
        for (var page = 1; page <= 2; page++) pages.AddRange(Codes(await Search($"{query}&page={page}")));
        pages.Should().Equal([.. exact, similar], "the four exact matches fill the first page and start the second, then the similar name");
        Codes(await Search($"{query}&birthYear=1371")).Should().Equal(bornIn[1371], similar);
    }

    private async Task<(string Mother, string First)> MotherWithChild()
    {
        var mother = await _registrar.Born(Birth("فاطمه", "موسوی", "female", "1370/01/01"));
        var first = await _registrar.Born(Birth("حسین", "موسوی", "male", "1403/05/10", mother));
        return (mother, first);
    }

    [Fact]
    public async Task A_similar_child_of_the_same_mother_days_apart_is_held_and_a_supervisor_confirms_it_as_a_new_person()
    {
        var (mother, first) = await MotherWithChild();

        var held = await _registrar.PostAsJsonAsync("/api/births", Birth("حسين", "موسوی", "male", "1403/05/12", mother));

        held.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var hold = await held.Json();
        hold.Str("status").Should().Be("heldForReview");
        hold.Str("suspectedDuplicateOf").Should().Be(first);
        var holdId = hold.Str("holdId");
        (await registry.EventsOf(mother)).Last().Should().BeOfType<BirthHeldForReview>();
        (await _registrar.Person(mother))["children"]!.AsArray().Should().ContainSingle("nothing is registered while held");

        var self = await registry.As("supervisor", user: "reg-1").PostAsync($"/api/births/held/{holdId}/confirm", null);
        self.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await self.Json()).Str("code").Should().Be("birthHold.sameUser");

        var confirmed = await (await registry.As("supervisor", user: "sup-1").PostAsync($"/api/births/held/{holdId}/confirm", null)).Json();
        confirmed.Str("status").Should().Be("confirmed");
        var child = confirmed.Str("nationalCode");
        NationalCode.IsValid(child).Should().BeTrue();
        (await _registrar.Person(child)).Str("givenName").Should().Be("حسین");
        (await _registrar.Person(mother))["children"]!.AsArray().Should().HaveCount(2);
        (await registry.EventsOf(mother)).Should().ContainSingle(e => e is HeldBirthConfirmed);

        var again = await registry.As("supervisor", user: "sup-2").PostAsync($"/api/births/held/{holdId}/confirm", null);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await again.Json()).Str("code").Should().Be("birthHold.notPending");
    }

    [Fact]
    public async Task A_held_birth_rejected_as_a_duplicate_registers_nobody()
    {
        var (mother, first) = await MotherWithChild();
        var holdId = (await (await _registrar.PostAsJsonAsync("/api/births", Birth("حسین", "موسوی", "male", "1403/05/10", mother))).Json()).Str("holdId");
        var streamsBefore = await StreamCount();

        var rejected = await registry.As("supervisor", user: "sup-1")
            .PostAsJsonAsync($"/api/births/held/{holdId}/reject", new { reason = "Same child registered twice by two offices." });

        rejected.StatusCode.Should().Be(HttpStatusCode.OK);
        (await StreamCount()).Should().Be(streamsBefore);
        (await registry.EventsOf(mother)).Last().Should().BeOfType<HeldBirthRejected>().Which.SuspectedDuplicateOf.Should().Be(first);
        var listed = await (await _registrar.GetAsync("/api/births/held?status=rejected")).Json();
        listed["items"]!.AsArray().Should().ContainSingle(h => h!.Str("id") == holdId);
        listed["total"]!.GetValue<long>().Should().Be(1);
    }

    [Fact]
    public async Task Twins_with_declared_birth_order_and_differently_named_siblings_are_not_held()
    {
        var mother = await _registrar.Born(Birth("فاطمه", "موسوی", "female", "1370/01/01"));
        var twin1 = await _registrar.PostAsJsonAsync("/api/births", Birth("حسن", "موسوی", "male", "1403/05/10", mother, multipleBirthOrder: 1));
        twin1.StatusCode.Should().Be(HttpStatusCode.Created);
        var twin2 = await _registrar.PostAsJsonAsync("/api/births", Birth("حسین", "موسوی", "male", "1403/05/10", mother, multipleBirthOrder: 2));
        twin2.StatusCode.Should().Be(HttpStatusCode.Created, "twins are told apart by their declared birth order");
        var sibling = await _registrar.PostAsJsonAsync("/api/births", Birth("زهرا", "موسوی", "female", "1403/05/11", mother));
        sibling.StatusCode.Should().Be(HttpStatusCode.Created, "a different name is not a duplicate");
    }

    private async Task<int> StreamCount()
    {
        await using var session = registry.Store.QuerySession();
        var all = await Marten.QueryableExtensions.ToListAsync(session.Events.QueryAllRawEvents());
        return all.Count(e => e.Version == 1 && e.StreamKey != "mt_tombstone");
    }
}
