using VitalEvents.Domain.Marriages;

namespace VitalEvents.Domain.Divorces;

/// <summary>Register the divorce that ends a marriage.</summary>
public sealed record RegisterDivorce(Guid MarriageId, DateOnly Date, string Kind, DateOnly? WaitingPeriodEnds, string OfficeCode);

public static class DivorceDecision
{
    /// <summary>Records the divorce on both spouses' streams, or refuses it.</summary>
    public static Decision Decide(RegisterDivorce command, Person husband, Person wife, DateOnly today)
    {
        if (MarriageChangeDecision.Active(command.MarriageId, command.Date, husband, wife, today, "divorce.beforeMarriage") is { } refused)
            return refused;
        return MarriageChangeDecision.Both(husband, wife, new DivorceRegistered(command.MarriageId, husband.NationalCode, wife.NationalCode,
            command.Date, command.Kind, command.WaitingPeriodEnds, command.OfficeCode));
    }
}
