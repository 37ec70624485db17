namespace Kilowallet.Domain.Tariffs;

/// <summary>A parsed and validated plan (or version), or every problem found in the text.</summary>
public sealed record TariffJsonResult<T>(T? Value, IReadOnlyList<TariffFileError> Errors)
    where T : class
{
    public bool Succeeded => Value is not null && Errors.Count == 0;
}
