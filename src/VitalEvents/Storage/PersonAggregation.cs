using JasperFx.Events;
using Marten.Events.Aggregation;
using VitalEvents.Domain;

namespace VitalEvents.Storage;

/// <summary>Folds a person's stream into the domain's decision state, live, for FetchForWriting.</summary>
public sealed class PersonAggregation : SingleStreamProjection<Person, string>
{
    public override Person? Evolve(Person? snapshot, string id, IEvent e) => Person.Evolve(snapshot, e.Data);
}
