namespace Kilowallet.Server.Metering;

/// <summary>Where a reading came from.</summary>
public enum SampleSource
{
    Poll = 0,
    Mqtt = 1,
    History = 2,
    Manual = 3,
}
