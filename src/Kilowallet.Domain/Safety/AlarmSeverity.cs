namespace Kilowallet.Domain.Safety;

public enum AlarmSeverity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}
