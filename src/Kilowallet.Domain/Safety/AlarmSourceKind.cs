namespace Kilowallet.Domain.Safety;

public enum AlarmSourceKind
{
    Meter = 0,
    Gateway = 1,
}
