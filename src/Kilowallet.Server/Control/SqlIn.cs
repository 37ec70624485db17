using System.Data.Common;
using System.Globalization;
using Kilowallet.Server.Storage;

namespace Kilowallet.Server.Control;

/// <summary>"IN (@x0, @x1, …)" lists for the hand-written SQL of the control loop (same text on SQLite and PostgreSQL).</summary>
public static class SqlIn
{
    /// <summary>Above this many values a query reads every row and the caller filters.</summary>
    public const int MaxValues = 500;

    public static string List(DbCommand command, string prefix, IReadOnlyCollection<long> values)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(values);
        var names = new List<string>(values.Count);
        var i = 0;
        foreach (var value in values)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@{prefix}{i++}");
            command.AddParameter(name, value);
            names.Add(name);
        }

        return "(" + string.Join(", ", names) + ")";
    }
}
