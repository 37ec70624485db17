namespace Kilowallet.Server.Tariffs;

/// <summary>A tariff change refused with field-level reasons (JSON path → messages); nothing was written.</summary>
public sealed class TariffProblemException : Exception
{
    public TariffProblemException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))))
    {
        Errors = errors;
    }

    public TariffProblemException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public TariffProblemException()
        : this("request", "The tariff change is not valid.")
    {
    }

    public TariffProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]> { ["request"] = [message] };
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    public bool NotFound { get; init; }
}
