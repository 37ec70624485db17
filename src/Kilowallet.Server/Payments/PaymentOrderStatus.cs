namespace Kilowallet.Server.Payments;

public enum PaymentOrderStatus
{
    /// <summary>Created; the tenant is paying at the provider.</summary>
    Pending = 0,

    /// <summary>The provider confirmed payment; the account was credited.</summary>
    Paid = 1,

    /// <summary>The provider reported the payment failed or was cancelled.</summary>
    Failed = 2,
}
