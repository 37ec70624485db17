namespace Kilowallet.Server.Sites;

/// <summary>
/// One problem with one field of a directory record. <see cref="Field"/> is the CSV column name
/// (snake_case); the API reports it under its JSON name. A conflict is a value another record
/// already holds (a serial, a unit number, a bus address).
/// </summary>
public sealed record FieldError(string Field, string Reason, bool IsConflict);
