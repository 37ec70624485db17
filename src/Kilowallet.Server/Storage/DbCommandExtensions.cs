using System.Data.Common;

namespace Kilowallet.Server.Storage;

/// <summary>Small helpers for the hand-written SQL that runs on both SQLite and PostgreSQL.</summary>
public static class DbCommandExtensions
{
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
