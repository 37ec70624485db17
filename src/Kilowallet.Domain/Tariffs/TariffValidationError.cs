namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// Why a plan or version is refused. <see cref="Path"/> names the field in the plan's JSON form
/// (e.g. <c>versions[0].seasons[1].weekday[3].end</c>) so a file's error can point at its line.
/// </summary>
public sealed record TariffValidationError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
