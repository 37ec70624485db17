namespace Kilowallet.Protocols.Profiles;

/// <summary>Thrown at start when profile files are invalid; the message lists every error.</summary>
public sealed class ProfileCatalogException : Exception
{
    public ProfileCatalogException()
    {
        Errors = [];
    }

    public ProfileCatalogException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ProfileCatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public ProfileCatalogException(IReadOnlyList<ProfileError> errors)
        : base("Invalid meter profiles:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ProfileError> Errors { get; }
}
