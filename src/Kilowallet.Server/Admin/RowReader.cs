using System.Globalization;

namespace Kilowallet.Server.Admin;

/// <summary>Reads typed fields from a CSV row, recording every problem as "file line N, field F: reason".</summary>
public sealed class RowReader(string fileName, CsvRow row, List<string> errors)
{
    public CsvRow Row => row;

    public void Error(string column, string reason) => errors.Add($"{fileName} line {row.Line}, field {column}: {reason}");

    /// <summary>The field as given (trimmed; null when empty): its rules are checked by <see cref="Sites.DirectoryRules"/>.</summary>
    public string? Text(string column) => row[column];

    /// <summary>A whole number, or null when empty; only the syntax is checked here.</summary>
    public int? Whole(string column) => WholeNumber(column, int.MinValue, int.MaxValue);

    /// <summary>A decimal number, or null when empty; only the syntax is checked here.</summary>
    public decimal? Amount(string column) => Number(column, decimal.MinValue, decimal.MaxValue, maxDecimals: 28);

    /// <summary>true/false (yes/no, 1/0), or null when empty.</summary>
    public bool? Flag(string column) => row[column] is null ? null : Bool(column, false);

    /// <summary>An enum value written as in CSV (public-area), or null when empty.</summary>
    public TEnum? EnumOrNull<TEnum>(string column)
        where TEnum : struct, Enum => row[column] is null ? null : Enum(column, default(TEnum));

    /// <summary>Records the problems the directory rules found in this row.</summary>
    public void Report(Sites.FieldErrors problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems.All)
        {
            Error(problem.Field, problem.Reason);
        }
    }

    public string? Optional(string column, int maxLength = 200)
    {
        var value = row[column];
        if (value is not null && value.Length > maxLength)
        {
            Error(column, $"longer than {maxLength} characters");
            return null;
        }

        return value;
    }

    public string Required(string column, int maxLength = 200)
    {
        var value = row[column];
        if (value is null)
        {
            Error(column, "is required");
            return string.Empty;
        }

        return Optional(column, maxLength) ?? string.Empty;
    }

    public int? WholeNumber(string column, int min, int max, bool required = false)
    {
        var text = required ? Required(column) : row[column];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Error(column, $"'{text}' is not a whole number");
            return null;
        }

        if (value < min || value > max)
        {
            Error(column, $"must be between {min} and {max} (was {value})");
            return null;
        }

        return value;
    }

    public decimal? Number(string column, decimal min, decimal max, bool required = false, int maxDecimals = 6)
    {
        var text = required ? Required(column) : row[column];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            Error(column, $"'{text}' is not a number");
            return null;
        }

        if (value < min || value > max)
        {
            Error(column, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (was {text})");
            return null;
        }

        if (value.Scale > maxDecimals && decimal.Round(value, maxDecimals) != value)
        {
            Error(column, $"at most {maxDecimals} decimal places (was {text})");
            return null;
        }

        return value;
    }

    public bool Bool(string column, bool defaultValue)
    {
        var text = row[column];
        if (text is null)
        {
            return defaultValue;
        }

        switch (text.ToUpperInvariant())
        {
            case "TRUE" or "YES" or "Y" or "1":
                return true;
            case "FALSE" or "NO" or "N" or "0":
                return false;
            default:
                Error(column, $"'{text}' is not true or false");
                return defaultValue;
        }
    }

    public TEnum Enum<TEnum>(string column, TEnum defaultValue, bool required = false)
        where TEnum : struct, Enum
    {
        var text = required ? Required(column) : row[column];
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        var normalized = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        if (System.Enum.TryParse<TEnum>(normalized, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            && !int.TryParse(normalized, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return value;
        }

        Error(column, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(CsvNames.Of))}");
        return defaultValue;
    }
}
