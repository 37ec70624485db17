namespace Kilowallet.Domain.Control;

/// <summary>The position of a meter's load relay. Closed supplies power; open cuts it.</summary>
public enum RelayState
{
    Closed = 0,
    Open = 1,
}
