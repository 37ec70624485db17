namespace Kilowallet.Simulator.Meters;

/// <summary>From <paramref name="AtTicks"/> on, a meter's power followed <paramref name="State"/> (the master incomer replays these).</summary>
internal readonly record struct FeedChange(long AtTicks, PowerState State);
