namespace Kilowallet.Domain.Notifications;

/// <summary>A title (email subject, push title) and a body (SMS text), with {placeholders}.</summary>
public readonly record struct MessageTemplate(string Title, string Body);
