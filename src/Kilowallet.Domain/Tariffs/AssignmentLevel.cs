namespace Kilowallet.Domain.Tariffs;

/// <summary>Where a plan is assigned: to the account (all its meters) or to one meter, which overrides the account.</summary>
public enum AssignmentLevel
{
    Account = 0,
    Meter = 1,
}
