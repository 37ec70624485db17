using Kilowallet.Domain;
using Kilowallet.Domain.Ledger;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Cashier;

/// <summary>Cashier shifts: the open one of a cashier, and the report of what a shift took, by method.</summary>
public sealed class CashierDesk(KilowalletDb db)
{
    public sealed record MethodTotal(string Method, int TopUps, decimal Collected, int Reversals, decimal Reversed, decimal Net);

    public sealed record ShiftLine(
        long EntryId, DateTimeOffset At, PostingKind Kind, long? AccountId, string? AccountNumber, string? TenantName,
        string? Method, string? Reference, decimal Amount, long? ReversesEntryId, bool Reversed);

    public sealed record ShiftReport(
        long Id, string Cashier, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt,
        int TopUps, decimal Collected, int Reversals, decimal Reversed, decimal Net,
        IReadOnlyList<MethodTotal> ByMethod, IReadOnlyList<ShiftLine> Lines);

    /// <summary>The cashier's open shift, if any.</summary>
    public async Task<long?> OpenShiftOfAsync(string cashier, CancellationToken cancellationToken) =>
        await db.CashierShifts.AsNoTracking().Where(s => s.Cashier == cashier && s.ClosedAt == null).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Everything taken at the till during a shift: top-ups and their reversals, totals by method, net to hand over.</summary>
    public async Task<ShiftReport?> ReportAsync(long shiftId, CancellationToken cancellationToken)
    {
        var shift = await db.CashierShifts.AsNoTracking().SingleOrDefaultAsync(s => s.Id == shiftId, cancellationToken);
        if (shift is null)
        {
            return null;
        }

        var rows = await (from e in db.LedgerEntries.AsNoTracking()
                          where e.ShiftId == shiftId
                          join a in db.Accounts on e.AccountId equals (AccountId?)a.Id into accounts
                          from account in accounts.DefaultIfEmpty()
                          join t in db.Tenants on account.TenantId equals t.Id into tenants
                          from tenant in tenants.DefaultIfEmpty()
                          orderby e.Id
                          select new { Entry = e, Number = account == null ? null : account.Number, Tenant = tenant == null ? null : tenant.Name })
                         .ToListAsync(cancellationToken);
        var reversed = rows.Where(r => r.Entry.ReversesEntryId is not null).Select(r => r.Entry.ReversesEntryId!.Value).ToHashSet();
        var lines = rows.ConvertAll(r => new ShiftLine(
            r.Entry.Id, r.Entry.At, r.Entry.Kind, r.Entry.AccountId?.Value, r.Number, r.Tenant, r.Entry.Channel, r.Entry.Reference,
            Money.FromMinorUnits(r.Entry.WalletAmountMinor).Amount, r.Entry.ReversesEntryId, reversed.Contains(r.Entry.Id)));
        var byMethod = lines.GroupBy(l => l.Method ?? "?", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var topUps = g.Where(l => l.Kind == PostingKind.TopUp).ToList();
                var reversals = g.Where(l => l.Kind == PostingKind.Reversal).ToList();
                var collected = topUps.Sum(l => l.Amount);
                var returned = -reversals.Sum(l => l.Amount);
                return new MethodTotal(g.Key, topUps.Count, collected, reversals.Count, returned, collected - returned);
            })
            .ToList();
        return new ShiftReport(
            shift.Id, shift.Cashier, shift.OpenedAt, shift.ClosedAt,
            byMethod.Sum(m => m.TopUps), byMethod.Sum(m => m.Collected), byMethod.Sum(m => m.Reversals), byMethod.Sum(m => m.Reversed), byMethod.Sum(m => m.Net),
            byMethod, lines);
    }
}
