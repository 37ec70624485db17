using System.Globalization;
using System.Text;

namespace Kilowallet.Server.Sites;

/// <summary>
/// The problems <see cref="DirectoryRules"/> found in one record. The CSV import reports them as
/// "file line N, field F: reason"; the API as field-level problem details (400, or 409 when the
/// only problems are conflicts).
/// </summary>
public sealed class FieldErrors
{
    private static readonly Dictionary<string, string> ApiNames = new(StringComparer.Ordinal)
    {
        ["site_code"] = "siteId",
        ["area_code"] = "areaId",
        ["tenant_code"] = "tenantId",
        ["account_number"] = "accountId",
        ["shop_unit"] = "shopId",
        ["gateway"] = "gatewayId",
        ["profile"] = "profileName",
        ["language"] = "preferredLanguage",
    };

    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> All => _errors;

    public bool Any => _errors.Count > 0;

    public bool AnyInvalid => _errors.Exists(e => !e.IsConflict);

    public void Invalid(string field, string reason) => _errors.Add(new FieldError(field, reason, false));

    public void Conflict(string field, string reason) => _errors.Add(new FieldError(field, reason, true));

    /// <summary>The JSON name of a field: "unit_id" → "unitId", references by natural key → the id the API takes.</summary>
    public static string ApiName(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (ApiNames.TryGetValue(field, out var name))
        {
            return name;
        }

        var builder = new StringBuilder(field.Length);
        var upper = false;
        foreach (var c in field)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpper(c, CultureInfo.InvariantCulture) : c);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary>The errors by JSON field name, as problem details carry them.</summary>
    public Dictionary<string, string[]> ByApiName(bool conflicts) =>
        _errors.Where(e => e.IsConflict == conflicts)
            .GroupBy(e => ApiName(e.Field), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray(), StringComparer.Ordinal);
}
