// The README's walk-through, sent by a client generated from the registry's OpenAPI document: openapi-typescript turns
// /openapi/v1.json into schema.d.ts, openapi-fetch sends typed requests and reads typed answers. `tsc --strict` checking
// this file is the first test (a field the document types wrongly, or a request it describes wrongly, does not compile);
// running it is the second (it exits 1 on any unexpected status or value).
//
// Environment: VITALEVENTS_API (the registry's base URL), and bearer tokens REGISTRAR_TOKEN and SUPERVISOR_TOKEN (office
// 001), AUDITOR_TOKEN, SUBSCRIBER_TOKEN (scope full).
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

// The two globals of Node's own the program uses; fetch, streams and the rest are typed by the DOM library, as Node implements them.
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

type Schemas = components["schemas"];
type CloudEvent = Schemas["CloudEvent"];

// ---- What the document must say, checked by the compiler alone ----------------------------------------------------------

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsOptional<T, K extends keyof T> = {} extends Pick<T, K> ? true : false;
function assertType<_ extends true>(): void {}

// Answers: every field present, null only where the registry can write null.
assertType<Equal<Schemas["PersonSnapshot"]["placeOfIssue"], Schemas["PlaceOfIssue"] | null>>();
assertType<Equal<Schemas["PersonSnapshot"]["birthPlace"], Schemas["PlaceRecord"] | null>>();
assertType<Equal<Schemas["PersonSnapshot"]["version"], number>>();
assertType<Equal<Schemas["PersonSnapshot"]["nationalCode"], string>>();
assertType<Equal<Schemas["PersonSnapshot"]["sex"], "female" | "male">>();
assertType<Equal<Schemas["PersonSnapshot"]["dateOfDeath"], string | null>>();
assertType<Equal<Schemas["PersonSnapshot"]["spouses"], Schemas["SpouseLink"][]>>();
assertType<IsOptional<Schemas["PersonSnapshot"], "placeOfIssue"> extends false ? true : false>();
assertType<Equal<Schemas["HistoryPage"]["entries"], Schemas["HistoryEntry"][]>>();
assertType<Equal<Schemas["HistoryEntry"]["recordedBy"], string | null>>();
assertType<Equal<Schemas["ProblemDetails"]["code"], string>>();
assertType<Equal<Schemas["ProblemDetails"]["status"], number>>();
assertType<Equal<Schemas["BirthRegisteredResponse"]["status"], "registered" | "heldForReview">>();
assertType<Equal<Schemas["RegisterDeathRequest"]["causesIcd10"], string[] | null | undefined>>();
assertType<Equal<Schemas["FieldDiff"]["oldValue"], unknown>>();
assertType<Equal<Schemas["PlaceRecord"], { province: string; county: string; city: string }>>();
assertType<Equal<Schemas["FeedResponse"]["events"], CloudEvent[]>>();

// Requests: required fields required and never null, optional ones optional, closed vocabularies as unions.
assertType<IsOptional<Schemas["RegisterBirthRequest"], "givenName"> extends false ? true : false>();
assertType<Equal<Schemas["RegisterBirthRequest"]["givenName"], string>>();
assertType<Equal<Schemas["RegisterBirthRequest"]["birthPlace"], Schemas["PlaceInput"]>>();
assertType<Equal<Schemas["RegisterBirthRequest"]["sex"], "female" | "male">>();
assertType<Equal<Schemas["RegisterBirthRequest"]["multipleBirthOrder"], number | null | undefined>>();
assertType<IsOptional<Schemas["RegisterBirthRequest"], "motherNationalCode">>();
assertType<Equal<Schemas["EvidenceInput"]["kind"], "medicalCertificate" | "witnesses">>();
assertType<Equal<Schemas["RequestCorrectionRequest"]["authority"], "board" | "court" | "commission" | "nocr">>();
assertType<Equal<Schemas["RegisterMarriageRequest"]["kind"], "permanent" | "temporary">>();
// Parameters: strings typed as strings, numbers as numbers.
assertType<Equal<paths["/api/persons/{nationalCode}"]["get"]["parameters"]["path"]["nationalCode"], string>>();
assertType<Equal<NonNullable<paths["/api/persons/{nationalCode}"]["get"]["parameters"]["query"]>["asOf"], string | undefined>>();
assertType<Equal<NonNullable<paths["/api/persons/{nationalCode}"]["get"]["parameters"]["query"]>["version"], number | undefined>>();
assertType<Equal<NonNullable<paths["/api/feed"]["get"]["parameters"]["query"]>["after"], string | undefined>>();
assertType<Equal<NonNullable<paths["/api/corrections"]["get"]["parameters"]["query"]>["status"], "pending" | "approved" | "rejected" | undefined>>();

const api = process.env.VITALEVENTS_API ?? fail("VITALEVENTS_API is not set");
const tokens = {
  registrar: token("REGISTRAR_TOKEN"),
  supervisor: token("SUPERVISOR_TOKEN"),
  auditor: token("AUDITOR_TOKEN"),
  subscriber: token("SUBSCRIBER_TOKEN"),
};
const as = (role: keyof typeof tokens) => createClient<paths>({ baseUrl: api, headers: { Authorization: `Bearer ${tokens[role]}` } });
const registrar = as("registrar");
const supervisor = as("supervisor");
const auditor = as("auditor");
const subscriber = as("subscriber");

// Misuse the document forbids: each line must fail to compile, or tsc fails on the unused @ts-expect-error.
export function misuse(): void {
  // @ts-expect-error a birth is never posted without its body
  void registrar.POST("/api/births", {});
  // @ts-expect-error nor without its evidence
  void registrar.POST("/api/births", { body: { givenName: "آرمان", familyName: "کاظمی", sex: "male", birthDate: "1404/08/20", birthPlace: tehran(), officeCode: "001" } });
  // @ts-expect-error sex is a closed vocabulary
  void registrar.POST("/api/births", { body: { ...armansBirth(), sex: "unknown" } });
  // @ts-expect-error a required field is never null
  void registrar.POST("/api/births", { body: { ...armansBirth(), familyName: null } });
  // @ts-expect-error a correction names its authority from the law's list
  void registrar.POST("/api/persons/{nationalCode}/corrections", { params: { path: { nationalCode: "0010000001" } }, body: { field: "givenName", newValue: "x", authority: "mayor", decisionReference: "r", reason: "r" } });
  // @ts-expect-error a person is read by national code
  void auditor.GET("/api/persons/{nationalCode}", { params: { path: {} } });
  // @ts-expect-error version is a number
  void auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: "0010000001" }, query: { version: "1" } } });
}

await main();

async function main(): Promise<void> {
  // Register a birth (Solar Hijri date, Persian names); the registry issues the national code.
  const key = `walkthrough-birth-${crypto.randomUUID()}`;
  const birth = await registrar.POST("/api/births", { body: armansBirth(), params: { header: { "Idempotency-Key": key } } });
  expectStatus(birth, 201, "register a birth");
  const registered = birth.data ?? fail("no birth answer");
  expect(registered.status, "registered", "birth status");
  const code: string = registered.nationalCode ?? fail("no national code issued");
  expect(registered.version, 1, "version after the birth");
  expect(birth.response.headers.get("Location"), `/api/persons/${code}`, "Location of the birth");

  // The same key again gets the first answer back, and nothing is recorded twice.
  const retry = await registrar.POST("/api/births", { body: armansBirth(), params: { header: { "Idempotency-Key": key } } });
  expectStatus(retry, 201, "retry the birth with its Idempotency-Key");
  expect(retry.data?.nationalCode, code, "national code of the retry");
  expect(retry.response.headers.get("Idempotent-Replayed"), "true", "Idempotent-Replayed of the retry");

  // The identity snapshot (ETag = stream version) and the audit history.
  const read = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: code } } });
  expectStatus(read, 200, "read the snapshot");
  const person: Schemas["PersonSnapshot"] = read.data ?? fail("no snapshot");
  expect(person.nationalCode, code, "snapshot nationalCode");
  expect(person.givenName, "آرمان", "snapshot givenName");
  expect(person.familyName, "کاظمی", "snapshot familyName");
  expect(person.birthDate, "2025-11-11", "snapshot birthDate");
  expect(person.birthDateSolarHijri, "1404/08/20", "snapshot birthDateSolarHijri");
  expect(person.version, 1, "snapshot version");
  expect(person.maritalStatus, "single", "snapshot maritalStatus");
  expect(person.birthPlace?.city, "تهران", "snapshot birthPlace.city");
  const issued = person.placeOfIssue;
  if (issued === null) fail(`no place of issue for ${code}`);
  expect(issued.countyCode, code.slice(0, 3), "placeOfIssue.countyCode");
  expect(issued.province, "تهران", "placeOfIssue.province");
  const etag = read.response.headers.get("ETag") ?? fail("no ETag on the snapshot");

  const history = await auditor.GET("/api/persons/{nationalCode}/history", { params: { path: { nationalCode: code } } });
  expectStatus(history, 200, "read the history");
  const entries: Schemas["HistoryEntry"][] = history.data?.entries ?? fail("no history");
  expect(entries.length, 1, "history entries after the birth");
  const registration = entries[0] ?? fail("no first entry");
  expect(registration.eventType, "birth_registered.v1", "first entry eventType");
  expect(registration.version, 1, "first entry version");
  expect(registration.recordedBy, "reg-tehran-1", "first entry recordedBy");
  expect(registration.officeCode, "001", "first entry officeCode");

  // A conditional read with the ETag: 304 while it is current.
  const unchanged = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: code }, header: { "If-None-Match": etag } } });
  expect(unchanged.response.status, 304, "If-None-Match with the current ETag");
  expect(unchanged.response.headers.get("ETag"), etag, "ETag of the 304");

  // Correct the given name: the registrar requests, the supervisor approves.
  // An instant after the birth and before the correction (the client and the registry share this machine's clock).
  const before = new Date().toISOString();
  const request = await registrar.POST("/api/persons/{nationalCode}/corrections", {
    params: { path: { nationalCode: code } },
    body: { field: "givenName", newValue: "آرمین", authority: "board", decisionReference: "HE-001-1404-311", reason: "Transcription error" },
  });
  expectStatus(request, 202, "request a correction");
  const correctionId: string = request.data?.correctionId ?? fail("no correction id");
  expect(request.data?.status, "pending", "requested correction status");
  expect(request.response.headers.get("Location"), `/api/corrections/${correctionId}`, "Location of the correction");

  const approval = await supervisor.POST("/api/corrections/{id}/approve", { params: { path: { id: correctionId } } });
  expectStatus(approval, 200, "approve the correction");
  expect(approval.data?.status, "approved", "approved correction status");
  expect(approval.data?.version, 3, "version after the approval (the request is on the record too)");

  // Now, as of before the correction, and at version 1.
  const now = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: code } } });
  expectStatus(now, 200, "read the corrected snapshot");
  expect(now.data?.givenName, "آرمین", "givenName after the correction");
  expect(now.data?.version, 3, "version after the correction");
  const stale = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: code }, header: { "If-None-Match": etag } } });
  expectStatus(stale, 200, "If-None-Match with the ETag of version 1");
  const asOf = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: code }, query: { asOf: before } } });
  expectStatus(asOf, 200, "read as of before the correction");
  expect(asOf.data?.givenName, "آرمان", "givenName as of before the correction");
  expect(asOf.data?.version, 1, "version as of before the correction");
  const atVersion = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: code }, query: { version: 1 } } });
  expectStatus(atVersion, 200, "read at version 1");
  expect(atVersion.data?.givenName, "آرمان", "givenName at version 1");

  const corrected = await auditor.GET("/api/persons/{nationalCode}/history", { params: { path: { nationalCode: code } } });
  expectStatus(corrected, 200, "read the history after the correction");
  const last = corrected.data?.entries.at(-1) ?? fail("no last entry");
  expect(last.eventType, "correction_approved.v1", "last entry eventType");
  expect(last.authority, "board", "last entry authority");
  expect(last.decisionReference, "HE-001-1404-311", "last entry decisionReference");
  expect(last.approvedBy, "sup-tehran-1", "last entry approvedBy");
  const change = last.changes[0] ?? fail("no change in the approval");
  expect(`${change.field}: ${change.oldValue} → ${change.newValue}`, "givenName: آرمان → آرمین", "the approval's change");

  // Refusals are problem details with a stable code.
  const again = await supervisor.POST("/api/corrections/{id}/approve", { params: { path: { id: correctionId } } });
  expectStatus(again, 409, "approve the correction again");
  const refusal: Schemas["ProblemDetails"] = again.error ?? fail("no problem for the second approval");
  expect(refusal.code, "correction.notPending", "problem code of the second approval");
  expect(refusal.status, 409, "problem status of the second approval");
  expect(typeof refusal.correlationId, "string", "problem correlationId");
  const forbidden = await auditor.POST("/api/births", { body: armansBirth() });
  expectStatus(forbidden, 403, "an auditor registers a birth");
  expect(forbidden.error?.code, "auth.forbidden", "problem code of the auditor's birth");

  // A marriage, and a death that ends it.
  const husband = await born({ ...adult("رضا", "احمدی", "male", "1370/05/10") });
  const wife = await born({ ...adult("مریم", "کریمی", "female", "1372/03/15") });
  const marriage = await registrar.POST("/api/marriages", {
    body: { husbandNationalCode: husband, wifeNationalCode: wife, date: "1400/06/01", kind: "permanent", officeCode: "001" },
  });
  expectStatus(marriage, 201, "register a marriage");
  const marriageId: string = marriage.data?.marriageId ?? fail("no marriage id");
  const married = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: wife } } });
  expect(married.data?.maritalStatus, "married", "wife's marital status after the marriage");
  expect(married.data?.spouses[0]?.marriageId, marriageId, "wife's spouse link");
  expect(married.data?.spouses[0]?.kind, "permanent", "wife's marriage kind");

  const death = await registrar.POST("/api/deaths", {
    body: { nationalCode: husband, date: "1405/02/01", place: tehran(), causeIcd10: "I21.9", certifier: "Dr. Ahmadi", officeCode: "001" },
  });
  expectStatus(death, 201, "register a death");
  expect(death.data?.nationalCode, husband, "death nationalCode");
  const deceased = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: husband } } });
  expect(deceased.data?.alive, false, "husband alive after the death");
  expect(deceased.data?.dateOfDeathSolarHijri, "1405/02/01", "husband's dateOfDeathSolarHijri");
  const widow = await auditor.GET("/api/persons/{nationalCode}", { params: { path: { nationalCode: wife } } });
  expect(widow.data?.maritalStatus, "widowed", "wife's marital status after the death");

  // The feed, as a subscriber, page by page: each CloudEvent narrowed by its type to typed data.
  const events: CloudEvent[] = [];
  for (let after = "0"; ;) {
    const feed = await subscriber.GET("/api/feed", { params: { query: { after, limit: 100 } } });
    expectStatus(feed, 200, `read the feed after ${after}`);
    const page = feed.data ?? fail("no feed page");
    if (page.events.length === 0) break;
    const last = Number(page.events.at(-1)?.sequence);
    if (!(Number(page.next) >= last)) fail(`the feed's next cursor ${page.next} is before its last event ${last}`);
    events.push(...page.events);
    after = page.next;
  }
  const seen = events.map(describe);
  for (const wanted of [
    `birth_registered.v1 ${code} آرمان`,
    `correction_approved.v1 ${code} givenName`,
    `marriage_registered.v1 ${marriageId} ${husband} ${wife}`,
    `death_registered.v2 ${husband} I21.9`,
    `marriage_ended_by_death.v1 ${marriageId} ${husband}`,
  ])
    if (!seen.includes(wanted)) fail(`the feed lacks "${wanted}"; it has:\n  ${seen.join("\n  ")}`);

  // The same death, live: the stream from just before it, filtered to its type.
  const recorded = events.find((e) => e.type === "death_registered.v2" && e.subject === husband) ?? fail("no death in the feed");
  const streamed = await firstStreamedEvent("death_registered.v2", String(Number(recorded.sequence) - 1));
  expect(streamed.id, recorded.id, "the streamed death's id");
  expect(describe(streamed), `death_registered.v2 ${husband} I21.9`, "the streamed death");

  console.log(`walk-through passed: ${code} registered, corrected and read as of ${before}; marriage ${marriageId}; ${events.length} events in the feed`);
}

/** One line naming what a CloudEvent says, read through the data type its `type` selects. */
function describe(event: CloudEvent): string {
  switch (event.type) {
    case "birth_registered.v1":
      return `${event.type} ${event.data.nationalCode} ${event.data.givenName}`;
    case "correction_approved.v1":
      return `${event.type} ${event.subject} ${event.data.field}`;
    case "marriage_registered.v1":
      return `${event.type} ${event.data.marriageId} ${event.data.husbandNationalCode} ${event.data.wifeNationalCode}`;
    case "death_registered.v2":
      return `${event.type} ${event.data.nationalCode} ${event.data.causesIcd10?.join(",")}`;
    case "marriage_ended_by_death.v1":
      return `${event.type} ${event.data.marriageId} ${event.data.deceasedNationalCode}`;
    default:
      return `${event.type} ${event.subject}`;
  }
}

/** Reads the live stream after a cursor, filtered to one type, until its first event; then hangs up. */
async function firstStreamedEvent(type: CloudEvent["type"], after: string): Promise<CloudEvent> {
  const hangUp = new AbortController();
  const stream = await subscriber.GET("/api/feed/stream", { params: { query: { after, types: type } }, parseAs: "stream", signal: hangUp.signal });
  expect(stream.response.status, 200, "open the feed stream");
  expect(stream.response.headers.get("Content-Type")?.split(";")[0], "text/event-stream", "the stream's content type");
  const body = stream.data ?? fail("no stream body");
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) fail("the stream ended before an event");
      buffered += value;
      let end: number;
      while ((end = buffered.indexOf("\n\n")) >= 0) {
        const message = buffered.slice(0, end).split("\n");
        buffered = buffered.slice(end + 2);
        const field = (name: string) => message.filter((line) => line.startsWith(`${name}:`)).map((line) => line.slice(name.length + 1).trimStart());
        if (field("event")[0] !== type) continue;
        const event = JSON.parse(field("data").join("\n")) as CloudEvent;
        expect(field("id")[0], event.sequence.replace(/^0+/, ""), "the streamed event's id");
        return event;
      }
    }
  } finally {
    hangUp.abort();
  }
}

async function born(request: Schemas["RegisterBirthRequest"]): Promise<string> {
  const answer = await registrar.POST("/api/births", { body: request });
  expectStatus(answer, 201, `register ${request.givenName} ${request.familyName}`);
  return answer.data?.nationalCode ?? fail("no national code issued");
}

function armansBirth(): Schemas["RegisterBirthRequest"] {
  return {
    givenName: "آرمان", familyName: "کاظمی", sex: "male", birthDate: "1404/08/20", birthPlace: tehran(), officeCode: "001",
    evidence: { kind: "medicalCertificate", reference: "MC-1404-88231" },
  };
}

function adult(givenName: string, familyName: string, sex: Schemas["RegisterBirthRequest"]["sex"], birthDate: string): Schemas["RegisterBirthRequest"] {
  return { givenName, familyName, sex, birthDate, birthPlace: tehran(), officeCode: "001", evidence: { kind: "medicalCertificate", reference: `MC-${birthDate}` } };
}

function tehran(): Schemas["PlaceInput"] {
  return { province: "تهران", county: "تهران", city: "تهران" };
}

function expectStatus(answer: { response: Response; error?: unknown }, status: number, what: string): void {
  if (answer.response.status !== status)
    fail(`${what}: expected ${status}, got ${answer.response.status} ${JSON.stringify(answer.error ?? null)}`);
}

function expect<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function token(name: string): string {
  return process.env[name] ?? fail(`${name} is not set`);
}

function fail(message: string): never {
  console.error(`walk-through failed: ${message}`);
  process.exit(1);
}
