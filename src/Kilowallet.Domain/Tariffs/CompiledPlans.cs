using System.Collections.Concurrent;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// Plans compiled for rating, each once, by plan object (reference): the timelines of many meters on
/// the same plans share one compilation instead of validating and compiling the plan per meter.
/// Safe to share between threads. Keep one only as long as the plan objects it has seen are not
/// replaced (e.g. for one snapshot of the tariff catalog).
/// </summary>
public sealed class CompiledPlans
{
    private readonly ConcurrentDictionary<TariffPlan, CompiledPlan> _plans = new(ReferenceEqualityComparer.Instance);

    /// <exception cref="ArgumentException">The plan is not valid.</exception>
    internal CompiledPlan Of(TariffPlan plan) =>
        _plans.TryGetValue(plan, out var compiled) ? compiled : _plans.GetOrAdd(plan, static p => new CompiledPlan(p));
}
