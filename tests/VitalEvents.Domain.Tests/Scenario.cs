namespace VitalEvents.Domain.Tests;

/// <summary>
/// Given/When/Then for decisions: a history of stream events, a decision taken on the people folded from it, and the
/// events it must produce or the rule it must break.
/// </summary>
internal sealed class Scenario
{
    private readonly StreamEvent[] _history;

    private Scenario(StreamEvent[] history) => _history = history;

    public static Scenario Given(params StreamEvent[] history) => new(history);

    public Scenario And(params StreamEvent[] more) => new([.. _history, .. more]);

    /// <summary>The person folded with <see cref="Person.Evolve"/> from their stream; null when nothing started it.</summary>
    public Person? this[string nationalCode] =>
        Person.From(_history.Where(e => e.NationalCode == nationalCode).Select(e => e.Event));

    public Outcome When(Func<Scenario, Decision> decide) => new(this, decide(this));

    internal sealed class Outcome(Scenario given, Decision decision)
    {
        /// <summary>Asserts the decision produced exactly these events, in order; returns the history with them appended.</summary>
        public Scenario Then(params StreamEvent[] expected)
        {
            decision.Violation.Should().BeNull("the command should be accepted");
            decision.Events.Select(e => (e.NationalCode, e.Event.GetType())).Should().Equal(expected.Select(e => (e.NationalCode, e.Event.GetType())));
            decision.Events.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().RespectingRuntimeTypes());
            return given.And([.. decision.Events]);
        }

        public void ThenRejected(string code, ViolationKind kind = ViolationKind.Conflict)
        {
            decision.Events.Should().BeEmpty();
            decision.Violation.Should().NotBeNull("the command should be refused with {0}", code);
            decision.Violation!.Code.Should().Be(code);
            decision.Violation.Kind.Should().Be(kind);
            decision.Violation.Message.Should().NotBeNullOrWhiteSpace();
        }
    }
}
