namespace Kilowallet.Server.Auth;

/// <summary>The four roles. Staff roles are cumulative in the policies: an admin can do what an operator can, and so on.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Cashier = "cashier";
    public const string Tenant = "tenant";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Cashier, Tenant];
}
