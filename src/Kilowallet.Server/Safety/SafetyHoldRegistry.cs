using System.Collections.Concurrent;
using Kilowallet.Domain;
using Kilowallet.Domain.Control;

namespace Kilowallet.Server.Safety;

/// <summary>
/// The current safety hold of every meter (the most severe of its detectors), kept by the
/// <see cref="SafetyMonitor"/> and read by the control loop, which cuts supply while a hold lasts.
/// </summary>
public sealed class SafetyHoldRegistry
{
    private readonly ConcurrentDictionary<MeterId, SafetyHold> _holds = new();

    public SafetyHold Get(MeterId meter) => _holds.GetValueOrDefault(meter);

    /// <summary>Sets a meter's hold; true when it changed.</summary>
    public bool Set(MeterId meter, SafetyHold hold)
    {
        var previous = _holds.GetValueOrDefault(meter);
        if (hold == SafetyHold.None)
        {
            _holds.TryRemove(meter, out _);
        }
        else
        {
            _holds[meter] = hold;
        }

        return previous != hold;
    }

    public IReadOnlyDictionary<MeterId, SafetyHold> All => _holds.ToDictionary(h => h.Key, h => h.Value);
}
