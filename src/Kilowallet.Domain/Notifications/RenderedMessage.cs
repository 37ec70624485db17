namespace Kilowallet.Domain.Notifications;

/// <summary>A message ready for a channel: SMS sends the body, email uses both.</summary>
public sealed record RenderedMessage(string Title, string Body);
