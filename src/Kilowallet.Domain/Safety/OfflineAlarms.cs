using System.Collections.Immutable;

namespace Kilowallet.Domain.Safety;

/// <summary>
/// Which offline alarms should be open: one per offline gateway, and one per offline meter whose
/// gateway is not offline — a dead gateway is one alarm, not one per meter behind it.
/// </summary>
public static class OfflineAlarms
{
    /// <summary>Whether a meter's own offline alarm is suppressed because its gateway is offline.</summary>
    public static bool IsSuppressed(MeterLink meter, IReadOnlyDictionary<GatewayId, LinkStatus> gateways)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        return meter.Gateway is { } gateway && gateways.GetValueOrDefault(gateway) == LinkStatus.Offline;
    }

    /// <summary>The keys of the offline alarms that should be open.</summary>
    public static ImmutableHashSet<AlarmKey> Expected(IReadOnlyDictionary<GatewayId, LinkStatus> gateways, IEnumerable<MeterLink> meters)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(meters);
        var gatewayAlarms = gateways
            .Where(g => g.Value == LinkStatus.Offline)
            .Select(g => new AlarmKey(AlarmType.GatewayOffline, AlarmSource.Gateway(g.Key)));
        var meterAlarms = meters
            .Where(m => m.Status == LinkStatus.Offline && !IsSuppressed(m, gateways))
            .Select(m => new AlarmKey(AlarmType.MeterOffline, AlarmSource.Meter(m.Meter)));
        return gatewayAlarms.Concat(meterAlarms).ToImmutableHashSet();
    }

    /// <summary>
    /// The signals that bring the open offline alarms in line with <see cref="Expected"/>: raises for
    /// missing ones, clears for open ones no longer expected (the device is back, or its gateway's alarm covers it).
    /// </summary>
    public static ImmutableArray<AlarmSignal> Reconcile(
        IReadOnlyDictionary<GatewayId, LinkStatus> gateways,
        IEnumerable<MeterLink> meters,
        IEnumerable<AlarmKey> openAlarms,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(openAlarms);
        var expected = Expected(gateways, meters);
        var open = openAlarms.Where(k => k.Type is AlarmType.MeterOffline or AlarmType.GatewayOffline).ToHashSet();
        var raises = expected.Except(open)
            .OrderBy(k => k.Type).ThenBy(k => k.Source.Id)
            .Select(k => AlarmSignal.Raise(k.Type, k.Source, at, $"No data from {k.Source}."));
        var clears = open.Except(expected)
            .OrderBy(k => k.Type).ThenBy(k => k.Source.Id)
            .Select(k => AlarmSignal.Clear(k.Type, k.Source, at, $"{k.Source} is reachable or covered by its gateway's alarm."));
        return [.. raises, .. clears];
    }
}
