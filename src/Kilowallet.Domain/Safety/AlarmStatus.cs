namespace Kilowallet.Domain.Safety;

public enum AlarmStatus
{
    Raised = 0,
    Acknowledged = 1,
    Cleared = 2,
}
