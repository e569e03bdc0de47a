using VitalEvents.Domain;

namespace VitalEvents.Http;

/// <summary>
/// The closed set of values a text property takes, named by a static member listing them (of <see cref="Vocabulary"/>
/// unless another type is given): the OpenAPI document lists it as the property's enum.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute(Type owner, string member) : Attribute
{
    public OneOfAttribute(string vocabularyMember) : this(typeof(Vocabulary), vocabularyMember)
    {
    }

    public IReadOnlyList<string> Values { get; } =
        ((owner.GetField(member)?.GetValue(null) ?? owner.GetProperty(member)?.GetValue(null)) as IEnumerable<string>)?.ToArray()
        ?? throw new ArgumentException($"{owner.Name}.{member} is not a static list of strings.", nameof(member));
}
