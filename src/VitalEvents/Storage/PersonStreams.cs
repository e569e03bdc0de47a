using JasperFx.Events;
using Marten;
using VitalEvents.Domain;
using VitalEvents.Domain.Documents;
using VitalEvents.Pipeline;

namespace VitalEvents.Storage;

/// <summary>
/// The person streams a command decides on, fetched for writing. Every one is checked for concurrent change at commit: a
/// stream appended to by Marten's optimistic concurrency on its version; a stream only read by
/// <see cref="ReadStreamsCheck"/>, which holds it (FOR SHARE) and compares its version inside the commit.
/// </summary>
public sealed class PersonStreams
{
    private readonly Dictionary<string, IEventStream<Person>> _streams = [];
    private readonly ReadStreamsCheck _check;

    private PersonStreams(ReadStreamsCheck check) => _check = check;

    /// <summary>The current state of a fetched person, or null when no such person is registered.</summary>
    public Person? this[string? nationalCode] => nationalCode is null ? null : _streams.GetValueOrDefault(nationalCode)?.Aggregate;

    /// <summary>
    /// Fetches each person's stream for writing. The first code is the command's subject: the caller's If-Match, if any,
    /// must name its current version.
    /// </summary>
    public static async Task<PersonStreams> FetchAsync(IDocumentSession session, RequestContext context, CancellationToken ct,
        params string?[] nationalCodes)
    {
        var fetched = new PersonStreams(ReadStreamsCheck.For(session));
        await fetched.IncludeAsync(session, ct, nationalCodes);
        if (context.IfMatch is { } ifMatch && nationalCodes.FirstOrDefault() is { } subject)
        {
            var stream = fetched._streams[subject];
            var version = stream.Aggregate is null ? (long?)null : stream.CurrentVersion ?? 0;
            if (!ifMatch.IsMetBy(version)) throw new PreconditionFailedException(subject, version);
        }
        return fetched;
    }

    /// <summary>Fetches more people's streams for writing into the same set.</summary>
    public async Task IncludeAsync(IDocumentSession session, CancellationToken ct, params string?[] nationalCodes)
    {
        foreach (var code in nationalCodes.OfType<string>().Distinct().Where(c => !_streams.ContainsKey(c)))
        {
            var stream = await session.Events.FetchForWriting<Person>(code, ct);
            _streams[code] = stream;
            if (stream.Aggregate is not null) _check.Read(code, stream.CurrentVersion ?? 0);
        }
    }

    /// <summary>
    /// Appends an accepted decision's events, each to its stream; a refused decision throws and writes nothing. A document in
    /// force that the events make stale (a correction of a field it prints, a death, a new page of the shenasnameh) is
    /// superseded by an event appended with them, so it is in the same transaction as the change.
    /// </summary>
    public void Append(IDocumentSession session, Decision decision)
    {
        if (decision.Violation is { } violation) throw new RuleViolationException(violation);
        foreach (var group in decision.Events.GroupBy(e => e.NationalCode))
        {
            var events = group.Select(e => e.Event).ToArray();
            if (_streams.TryGetValue(group.Key, out var stream) && stream.Aggregate is { } before)
            {
                stream.AppendMany(events);
                if (before.Documents.Count > 0 && events.Aggregate((Person?)before, Person.Evolve) is { } after
                    && DocumentDecision.Outdated(after, events) is { Count: > 0 } stale)
                    stream.AppendMany(stale.ToArray<object>());
            }
            else session.Events.StartStream(group.Key, events);
        }
    }

    /// <summary>The version of a fetched person's stream, counting the events appended to it.</summary>
    public long VersionOf(string nationalCode) => _streams[nationalCode].CurrentVersion ?? 0;
}

/// <summary>
/// At commit, holds every stream the session read but does not append to, and refuses the commit (SQLSTATE
/// <see cref="ChangedCode"/>) when one changed since it was read. Streams appended to are checked by Marten's
/// optimistic concurrency instead.
/// </summary>
public sealed class ReadStreamsCheck : DocumentSessionListenerBase
{
    /// <summary>The SQLSTATE the check raises: answered as a concurrency conflict.</summary>
    public const string ChangedCode = "VE409";

    public const string FunctionName = "assert_stream_version";

    private readonly Dictionary<string, long> _read = [];

    public static ReadStreamsCheck For(IDocumentSession session)
    {
        if (session.Listeners.OfType<ReadStreamsCheck>().FirstOrDefault() is { } existing) return existing;
        var check = new ReadStreamsCheck();
        session.Listeners.Add(check);
        return check;
    }

    public void Read(string streamKey, long version) => _read.TryAdd(streamKey, version);

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var appended = session.PendingChanges.Streams().Where(s => s.Events.Count > 0).Select(s => s.Key).ToHashSet();
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        foreach (var (key, version) in _read.Where(r => !appended.Contains(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal))
            session.QueueSqlCommand($"select {schema}.{FunctionName}(?, ?)", key, version);
        _read.Clear();
        return Task.CompletedTask;
    }

    /// <summary>The function the check calls, as idempotent DDL for the schema's owner.</summary>
    public static string Sql(string schema) => $$"""
        create or replace function {{schema}}.{{FunctionName}}(stream varchar, expected bigint) returns void language plpgsql as $fn$
        declare
            actual bigint;
        begin
            select s.version into actual from {{schema}}.mt_streams s where s.id = stream for share;
            if actual is distinct from expected then
                raise exception 'the record % changed while it was being read (version % then, % now)', stream, expected, actual
                    using errcode = '{{ChangedCode}}';
            end if;
        end
        $fn$;
        """;
}
