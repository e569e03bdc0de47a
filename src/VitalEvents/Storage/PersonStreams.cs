using JasperFx.Events;
using Marten;
using VitalEvents.Domain;
using VitalEvents.Pipeline;

namespace VitalEvents.Storage;

/// <summary>The person streams a command decides on, fetched for writing so that each is checked for concurrent change.</summary>
public sealed class PersonStreams
{
    private readonly Dictionary<string, IEventStream<Person>> _streams = [];

    /// <summary>The current state of a fetched person, or null when no such person is registered.</summary>
    public Person? this[string? nationalCode] => nationalCode is null ? null : _streams.GetValueOrDefault(nationalCode)?.Aggregate;

    /// <summary>
    /// Fetches each person's stream for writing. The first code is the command's subject: the caller's If-Match, if any,
    /// must name its current version.
    /// </summary>
    public static async Task<PersonStreams> FetchAsync(IDocumentSession session, RequestContext context, CancellationToken ct,
        params string?[] nationalCodes)
    {
        var fetched = new PersonStreams();
        await fetched.IncludeAsync(session, ct, nationalCodes);
        if (context.ExpectedVersion is { } expected && nationalCodes.FirstOrDefault() is { } subject
            && fetched._streams[subject].CurrentVersion is var actual && actual != expected)
            throw new PreconditionFailedException(subject, expected, actual ?? 0);
        return fetched;
    }

    /// <summary>Fetches more people's streams for writing into the same set.</summary>
    public async Task IncludeAsync(IDocumentSession session, CancellationToken ct, params string?[] nationalCodes)
    {
        foreach (var code in nationalCodes.OfType<string>().Distinct().Where(c => !_streams.ContainsKey(c)))
            _streams[code] = await session.Events.FetchForWriting<Person>(code, ct);
    }

    /// <summary>Appends an accepted decision's events, each to its stream; a refused decision throws and writes nothing.</summary>
    public void Append(IDocumentSession session, Decision decision)
    {
        if (decision.Violation is { } violation) throw new RuleViolationException(violation);
        foreach (var group in decision.Events.GroupBy(e => e.NationalCode))
        {
            var events = group.Select(e => e.Event).ToArray();
            if (_streams.TryGetValue(group.Key, out var stream) && stream.Aggregate is not null) stream.AppendMany(events);
            else session.Events.StartStream(group.Key, events);
        }
    }

    /// <summary>The version of a fetched person's stream, counting the events appended to it.</summary>
    public long VersionOf(string nationalCode) => _streams[nationalCode].CurrentVersion ?? 0;
}
