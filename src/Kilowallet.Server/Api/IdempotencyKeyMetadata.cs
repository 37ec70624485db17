namespace Kilowallet.Server.Api;

/// <summary>
/// Marks a money-moving endpoint that takes the <see cref="IdempotencyKeys.Header"/> header; the
/// OpenAPI document describes the header on it. <see cref="Required"/> is false where another
/// reference (a till receipt number) can stand in for it.
/// </summary>
public sealed record IdempotencyKeyMetadata(bool Required = true);
