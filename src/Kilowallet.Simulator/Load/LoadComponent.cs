namespace Kilowallet.Simulator.Load;

/// <summary>One part of a format's load: a share of the peak that follows a shape, at a power factor.</summary>
/// <param name="Share">Fraction of the format's peak power when the shape is 1.</param>
/// <param name="PowerFactor">Lighting/electronics 0.9–0.95, motors/HVAC 0.8–0.88, resistive 0.97–0.99.</param>
/// <param name="LeadHours">For opening-hour shapes: switched on this long before the mall opens.</param>
/// <param name="LagHours">For opening-hour shapes: switched off this long after the mall closes.</param>
public sealed record LoadComponent(string Name, LoadShape Shape, double Share, double PowerFactor, double LeadHours = 0, double LagHours = 0)
{
    internal double TanPhi { get; } = Math.Tan(Math.Acos(PowerFactor));
}
