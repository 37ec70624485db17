using System.Globalization;

namespace Kilowallet.Domain.Tariffs;

/// <summary>A problem in a plan file: the line (1-based, when known), the field's path and what is wrong.</summary>
public sealed record TariffFileError(int? Line, string Path, string Message)
{
    public override string ToString()
    {
        var where = (Line, Path.Length) switch
        {
            (null, 0) => string.Empty,
            (null, _) => Path + ": ",
            (int line, 0) => string.Create(CultureInfo.InvariantCulture, $"line {line}: "),
            (int line, _) => string.Create(CultureInfo.InvariantCulture, $"line {line}, {Path}: "),
        };
        return where + Message;
    }
}
