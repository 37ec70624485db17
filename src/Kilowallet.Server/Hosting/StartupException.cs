namespace Kilowallet.Server.Hosting;

/// <summary>
/// The server cannot start because of its configuration or environment. The message is one
/// sentence for the person starting it, naming the setting to change; no stack trace is shown.
/// </summary>
public sealed class StartupException : Exception
{
    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StartupException()
    {
    }
}
