namespace Kilowallet.Server.Auth;

/// <summary>What an API key may do; each scope grants the policy of the same name.</summary>
public static class ApiKeyScopes
{
    public const string Admin = Policies.Admin;
    public const string Operate = Policies.Operate;
    public const string Collect = Policies.Collect;

    public const string ClaimType = "scope";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Admin, Operate, Collect };
}
