namespace Kilowallet.Server.Api;

/// <summary>The offset/limit query parameters of every list endpoint, clamped to sane values.</summary>
public readonly record struct Paging(int Offset, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static Paging From(int? offset, int? limit) =>
        new(Math.Max(0, offset ?? 0), Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit));
}
