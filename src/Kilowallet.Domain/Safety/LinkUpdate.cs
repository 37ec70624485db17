namespace Kilowallet.Domain.Safety;

public sealed record LinkUpdate(LinkHealth Health, LinkChange Change);
