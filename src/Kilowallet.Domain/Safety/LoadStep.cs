namespace Kilowallet.Domain.Safety;

/// <summary>A detected switch-on: the power before it, the rise, and when.</summary>
public readonly record struct LoadStep(double BaselineKw, double StepKw, DateTimeOffset At);
