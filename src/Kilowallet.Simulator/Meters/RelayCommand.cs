namespace Kilowallet.Simulator.Meters;

/// <summary>A remote relay command.</summary>
public enum RelayCommand
{
    /// <summary>Trip (DL/T 645 N1 = 1A).</summary>
    Open = 0,

    /// <summary>Close as the kind does it: at once on direct-close meters, armed for the button on close-allowed meters.</summary>
    Close = 1,

    /// <summary>Close allowed (1B): armed until the button is pressed; direct-close meters simply close.</summary>
    CloseAllowed = 2,

    /// <summary>Direct close (1C): closes at once on every meter with a relay.</summary>
    CloseDirect = 3,
}
