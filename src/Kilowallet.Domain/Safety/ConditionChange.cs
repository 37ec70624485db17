namespace Kilowallet.Domain.Safety;

public enum ConditionChange
{
    None = 0,
    Raised = 1,
    Cleared = 2,
}
