using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kilowallet.Server.Storage;

/// <summary>
/// Stores instants as Unix milliseconds (UTC) in a 64-bit integer on every provider, so SQLite can
/// order and compare them in SQL and hand-written SQL is the same on SQLite and PostgreSQL.
/// </summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.ToUnixTimeMilliseconds(),
    value => DateTimeOffset.FromUnixTimeMilliseconds(value));
