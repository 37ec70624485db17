namespace Kilowallet.Server.Payments;

/// <summary>What a provider says about an order, from a verified callback or a query.</summary>
public sealed record ProviderNotification(string OrderNo, string TransactionId, long AmountMinor, bool Succeeded);
