using System.Collections.Frozen;
using Kilowallet.Domain;
using Kilowallet.Protocols.Profiles;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Metering;

/// <summary>
/// The installed meters as <see cref="MeterContext"/>s, by id and by serial, read together and kept
/// as one snapshot; reloaded after a change (<see cref="Invalidate"/>) or when older than <see cref="MaxAge"/>.
/// </summary>
public sealed class MeterDirectory(IDbContextFactory<KilowalletDb> dbFactory, MeterProfileCatalog profiles, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private Snapshot? _snapshot;

    public MeterProfileCatalog Profiles => profiles;

    public void Dispose() => _loading.Dispose();

    public void Invalidate() => _snapshot = null;

    public async Task<MeterContext?> FindAsync(MeterId id, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ById.GetValueOrDefault(id);

    public async Task<MeterContext?> FindBySerialAsync(string serial, CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).BySerial.GetValueOrDefault(serial);

    /// <summary>All meters by id, as one consistent snapshot (for lookups in a hot loop).</summary>
    public async Task<IReadOnlyDictionary<MeterId, MeterContext>> ByIdAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ById;

    public async Task<IReadOnlyCollection<MeterContext>> AllAsync(CancellationToken cancellationToken) =>
        (await CurrentAsync(cancellationToken)).ById.Values;

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < MaxAge)
        {
            return snapshot;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is null || clock.GetUtcNow() - snapshot.LoadedAt >= MaxAge)
            {
                snapshot = await LoadAsync(cancellationToken);
                _snapshot = snapshot;
            }

            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from m in db.Meters.AsNoTracking()
                          join s in db.Shops on m.ShopId equals (ShopId?)s.Id into shops
                          from shop in shops.DefaultIfEmpty()
                          select new { Meter = m, Limit = shop == null ? null : shop.PowerLimitKw }).ToListAsync(cancellationToken);
        var contexts = new List<MeterContext>(rows.Count);
        foreach (var row in rows)
        {
            var m = row.Meter;
            if (!profiles.TryGet(m.ProfileName, out var profile))
            {
                // A meter naming an unknown profile cannot be read or billed; it is left out (commissioning shows why).
                continue;
            }

            contexts.Add(new MeterContext(
                m.Id, m.SiteId, m.Serial, profile, m.GatewayId, m.UnitId, m.Dlt645Address, m.MqttClientId, m.AccountId, m.ShopId,
                m.Purpose, m.Status, m.CtRatio, m.PtRatio, row.Limit, m.FeedsOwnGateway));
        }

        return new Snapshot(
            clock.GetUtcNow(),
            contexts.ToFrozenDictionary(c => c.Id),
            contexts.ToFrozenDictionary(c => c.Serial, StringComparer.Ordinal));
    }

    private sealed record Snapshot(DateTimeOffset LoadedAt, FrozenDictionary<MeterId, MeterContext> ById, FrozenDictionary<string, MeterContext> BySerial);
}
