using Kilowallet.Domain;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kilowallet.Server.Storage;

/// <summary>Stores a typed id as its 64-bit key.</summary>
public sealed class EntityIdConverter<TId>() : ValueConverter<TId, long>(id => id.Value, value => Create(value))
    where TId : struct, IEntityId<TId>
{
    private static TId Create(long value) => TId.From(value);
}
