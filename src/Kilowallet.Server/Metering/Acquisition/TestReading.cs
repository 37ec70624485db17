using System.Globalization;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Protocols.Reading;

namespace Kilowallet.Server.Metering.Acquisition;

/// <summary>
/// A commissioning read of one meter as people read it: every quantity with its unit, the relay,
/// what could not be read and why, and the raw registers or DL/T 645 data as they came off the wire.
/// The API's test-read returns it; the command line's <c>read</c> prints it.
/// </summary>
public sealed record TestReading(
    string Profile,
    string Manufacturer,
    string Model,
    bool ProfileUnverified,
    DateTimeOffset ReadAt,
    bool Answered,
    string? Failure,
    IReadOnlyList<TestReading.Quantity> Values,
    string Relay,
    IReadOnlyList<TestReading.Problem> Errors,
    IReadOnlyList<TestReading.Block> Raw,
    string Path)
{
    /// <summary>How the read travelled: "poller" (queued on the bus's poller, one request in flight) or "direct" (a connection of its own).</summary>
    public const string ThroughPoller = "poller";

    public const string Direct = "direct";

    /// <summary>A decoded quantity: name as in profiles (voltage_a), value, the value as printed, unit.</summary>
    public sealed record Quantity(string Name, decimal Value, string Text, string Unit);

    public sealed record Problem(string Quantity, string Reason);

    /// <summary>Raw data: the block's source (registers 0x0000+10, or a data identifier) and its 16-bit words in hex.</summary>
    public sealed record Block(string Source, IReadOnlyList<string> Words);

    public bool IsComplete => Answered && Errors.Count == 0;

    public static TestReading From(MeterProfile profile, MeterSnapshot snapshot, string path)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(snapshot);
        var culture = CultureInfo.InvariantCulture;
        var values = snapshot.Values.OrderBy(v => v.Key)
            .Select(v => new Quantity(
                MeterQuantities.Name(v.Key),
                v.Value,
                v.Key == MeterQuantity.AlarmFlags
                    ? string.Create(culture, $"0x{(uint)v.Value:X4}")
                    : v.Value.ToString(MeterQuantities.IsEnergy(v.Key) ? "0.000" : "0.####", culture),
                MeterQuantities.Unit(v.Key)))
            .ToList();
        return new TestReading(
            profile.Name,
            profile.Manufacturer,
            profile.Model,
            profile.Unverified,
            snapshot.ReadAt,
            snapshot.LinkFailure is null,
            snapshot.LinkFailure is null ? null : snapshot.LinkFailureDetail ?? snapshot.LinkFailure.ToString(),
            values,
            snapshot.Relay.ToString().ToLowerInvariant(),
            snapshot.Errors.Select(e => new Problem(MeterQuantities.Name(e.Quantity), e.Reason)).ToList(),
            snapshot.Raw.Select(b => new Block(b.Source, b.Words.Select(w => w.ToString("X4", culture)).ToList())).ToList(),
            path);
    }
}
