using System.Collections.Immutable;

namespace Kilowallet.Domain.Safety;

/// <summary>A detector's new state and the alarm signals it produced.</summary>
public sealed record SafetyStep<TState>(TState State, ImmutableArray<AlarmSignal> Signals);
