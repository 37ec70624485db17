namespace Kilowallet.Domain;

/// <summary>A typed identifier wrapping a database-assigned 64-bit key.</summary>
public interface IEntityId<TSelf>
    where TSelf : struct, IEntityId<TSelf>
{
    long Value { get; }

    static abstract TSelf From(long value);
}
