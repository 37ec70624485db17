namespace Kilowallet.Server.Storage;

public enum StorageProvider
{
    Sqlite = 0,
    Postgres = 1,
}
