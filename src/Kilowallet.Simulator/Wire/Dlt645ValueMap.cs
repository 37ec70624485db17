using Kilowallet.Protocols.Dlt645;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Simulator.Meters;
using RelayState = Kilowallet.Simulator.Meters.RelayState;

namespace Kilowallet.Simulator.Wire;

/// <summary>
/// What a DL/T 645 meter of one profile answers, built from the profile alone: each data identifier it maps, in its
/// format (BCD low byte first, value / scale), and the relay state in its status word. Energy is truncated to the
/// format's decimals and rolls over at its digits; live values saturate at the largest value the format holds.
/// </summary>
internal sealed class Dlt645ValueMap
{
    private readonly Dictionary<uint, Dlt645Point> _points;
    private readonly Dlt645RelayStatePoint? _relayState;

    public Dlt645ValueMap(MeterProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var map = profile.Dlt645 ?? throw new ArgumentException($"Profile {profile.Name} has no DL/T 645 map.", nameof(profile));
        _points = map.Points.ToDictionary(p => p.Identifier.Value);
        _relayState = map.RelayState;
    }

    /// <summary>True when the identifier is the relay status word (answered without a full reading).</summary>
    public bool IsRelayState(Dlt645DataIdentifier identifier) => _relayState is { } state && state.Identifier == identifier;

    public bool Maps(Dlt645DataIdentifier identifier) => _points.ContainsKey(identifier.Value) || IsRelayState(identifier);

    /// <summary>Writes the value of <paramref name="identifier"/> from a reading; false when the profile does not map it.</summary>
    public bool TryEncode(Dlt645DataIdentifier identifier, MeterReading reading, Span<byte> value, out int length)
    {
        length = 0;
        if (IsRelayState(identifier))
        {
            var state = _relayState!;
            var word = reading.Relay == RelayState.Open ? state.OpenWhen : state.OpenWhen == 0 ? state.Mask : (ushort)0;
            Dlt645Bcd.Encode(word, Dlt645DataFormat.StatusWord, value);
            length = Dlt645DataFormat.StatusWord.Length;
            return true;
        }

        if (!_points.TryGetValue(identifier.Value, out var point))
        {
            return false;
        }

        var format = point.Format;
        var energy = MeterQuantities.IsEnergy(point.Quantity);
        var raw = energy ? ReadingValues.Energy(reading, point.Quantity) / point.Scale : ToDecimal(ReadingValues.Live(reading, point.Quantity) / (double)point.Scale);
        Dlt645Bcd.Encode(energy ? Counter(raw, format) : Saturate(raw, format), format, value);
        length = format.Length;
        return true;
    }

    /// <summary>An energy counter: truncated to the format's decimals, rolled over at its digits.</summary>
    private static decimal Counter(decimal raw, Dlt645DataFormat format)
    {
        var step = Step(format);
        var truncated = decimal.Floor(raw / step) * step;
        var capacity = Largest(format) + step;
        var wrapped = truncated % capacity;
        return wrapped < 0 ? wrapped + capacity : wrapped;
    }

    private static decimal Saturate(decimal raw, Dlt645DataFormat format)
    {
        var largest = Largest(format);
        var smallest = format.IsSigned ? -largest : 0m;
        return Math.Clamp(raw, smallest, largest);
    }

    /// <summary>The largest magnitude a format holds: all its digits 9 (a signed format gives its top bit to the sign).</summary>
    private static decimal Largest(Dlt645DataFormat format)
    {
        if (format.IsBinary)
        {
            return format.Length >= 8 ? ulong.MaxValue : (1UL << (8 * format.Length)) - 1;
        }

        var digits = (2 * format.Length) - (format.IsSigned ? 1 : 0);
        var units = 1m;
        for (var i = 0; i < digits; i++)
        {
            units *= 10;
        }

        return (units - 1) * Step(format);
    }

    private static decimal Step(Dlt645DataFormat format)
    {
        var step = 1m;
        for (var i = 0; i < (format.IsBinary ? 0 : format.Decimals); i++)
        {
            step /= 10;
        }

        return step;
    }

    private static decimal ToDecimal(double value) =>
        !double.IsFinite(value) ? 0m : value >= 7.9e27 ? decimal.MaxValue : value <= -7.9e27 ? decimal.MinValue : (decimal)value;
}
