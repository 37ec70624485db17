namespace Kilowallet.Simulator.Load;

/// <summary>
/// What a meter measures before its relay and faults: power as a step function of simulated time. The meter
/// integrates it exactly, piece by piece.
/// </summary>
public interface ILoadSource
{
    /// <summary>The load during the piece that contains <paramref name="utcTicks"/>.</summary>
    LoadSample Sample(long utcTicks);

    /// <summary>The end (exclusive, UTC ticks) of the piece that contains <paramref name="utcTicks"/>.</summary>
    long PieceEnd(long utcTicks);
}
