using System.Globalization;

namespace Kilowallet.Domain.Safety;

/// <summary>The device an alarm is about. Text form "meter:42" or "gateway:3".</summary>
public readonly record struct AlarmSource(AlarmSourceKind Kind, long Id)
{
    public static AlarmSource Meter(MeterId meter) => new(AlarmSourceKind.Meter, meter.Value);

    public static AlarmSource Gateway(GatewayId gateway) => new(AlarmSourceKind.Gateway, gateway.Value);

    public override string ToString() =>
        (Kind == AlarmSourceKind.Meter ? "meter:" : "gateway:") + Id.ToString(CultureInfo.InvariantCulture);
}
