using Kilowallet.Domain;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Metering;
using Kilowallet.Server.Metering.Acquisition;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Accounts;

/// <summary>
/// Moves a meter to another account (a tenant moves in or out, a shop changes hands). The old
/// account pays up to a final reading — read from the meter now, or typed from its display when it
/// cannot be reached — billed through the usual pipeline before the switch, so no kWh is billed to
/// the wrong account or twice.
/// </summary>
public sealed class MeterAssignments(
    KilowalletDb db,
    MeterDirectory directory,
    AcquisitionService acquisition,
    ReadingPipeline pipeline,
    AuditLog audit,
    TimeProvider clock)
{
    public static readonly TimeSpan BillingWait = TimeSpan.FromSeconds(30);

    /// <summary>Assigns <paramref name="meter"/> to <paramref name="account"/> (null: to nobody); <paramref name="finalReadingKwh"/> is the register as the meter shows it.</summary>
    public async Task<MeterAssignment> AssignAsync(MeterId meter, AccountId? account, decimal? finalReadingKwh, string? reason, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 500)
        {
            throw new MoneyOperationException("reason", "Say why the meter changes account (1–500 characters).");
        }

        var stored = await db.Meters.SingleOrDefaultAsync(m => m.Id == meter, cancellationToken)
            ?? throw new MoneyOperationException("meterId", $"There is no meter {meter.Value}.") { NotFound = true };
        if (account is { } target)
        {
            var to = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == target, cancellationToken)
                ?? throw new MoneyOperationException("accountId", $"There is no account {target.Value}.");
            if (to.Status != AccountStatus.Open || to.SiteId != stored.SiteId)
            {
                throw new MoneyOperationException("accountId", "The account must be open and at the meter's site.");
            }

            if (stored.Purpose != MeterPurpose.Tenant)
            {
                throw new MoneyOperationException("meterId", "Only a tenant meter bills to an account (this one is a public-area or master meter).");
            }
        }

        if (stored.AccountId == account)
        {
            return await db.MeterAssignments.AsNoTracking().Where(a => a.MeterId == meter).OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken)
                ?? new MeterAssignment { MeterId = meter, AccountId = account, At = stored.InstalledAt, Actor = actor, Reason = "unchanged" };
        }

        (long Wh, string Source)? final = null;
        if (stored.AccountId is not null)
        {
            final = await FinalReadingAsync(meter, finalReadingKwh, cancellationToken);
        }

        var assignment = new MeterAssignment
        {
            MeterId = meter,
            PreviousAccountId = stored.AccountId,
            AccountId = account,
            At = clock.GetUtcNow(),
            FinalReadingWh = final?.Wh,
            FinalReadingSource = final?.Source,
            Actor = actor,
            Reason = reason.Trim(),
        };
        stored.AccountId = account;
        db.MeterAssignments.Add(assignment);
        audit.Record(db, actor, "meter.assigned", "meter:" + meter.Value, new { from = assignment.PreviousAccountId?.Value, to = account?.Value, finalReadingWh = final?.Wh, reason = assignment.Reason });
        await db.SaveChangesAsync(cancellationToken);
        directory.Invalidate();
        return assignment;
    }

    /// <summary>Takes the final reading and waits until billing has committed it (or refused it).</summary>
    private async Task<(long Wh, string Source)> FinalReadingAsync(MeterId meter, decimal? typedKwh, CancellationToken cancellationToken)
    {
        var context = await directory.FindAsync(meter, cancellationToken)
            ?? throw new MoneyOperationException("meterId", "The meter's profile is unknown, so it cannot be read or billed.");
        // Stored times are whole milliseconds; the reading is looked up again by its time below.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        MeterSample? sample = null;
        string source;
        if (typedKwh is { } kwh)
        {
            if (kwh < 0 || kwh > 100_000_000m || decimal.Round(kwh, 3) != kwh)
            {
                throw new MoneyOperationException("finalReadingKwh", "A register reading is 0 or more, in kWh with at most 3 decimals.");
            }

            sample = new MeterSample(meter, now, SampleSource.Manual, (long)(kwh * 1000m), null, LiveValues.Empty, RelayReport.Unknown, 0);
            source = "typed";
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                if (await acquisition.ReadNowAsync(context, timeout.Token) is { } snapshot)
                {
                    sample = SnapshotConversion.ToSample(meter, snapshot, now, SampleSource.Poll, energy: true);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or TimeoutException or InvalidOperationException)
            {
                // Unreachable: the operator types the reading instead.
            }

            source = "read";
            if (sample?.EnergyWh is null)
            {
                throw new MoneyOperationException(
                    "finalReadingKwh",
                    "The meter cannot be read now (offline, or not polled over a gateway); type its final reading (kWh) from the display.");
            }
        }

        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await pipeline.EnqueueAsync(sample with { AfterCommit = () => { committed.TrySetResult(); return Task.CompletedTask; } }, cancellationToken);
        try
        {
            await committed.Task.WaitAsync(BillingWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new MoneyOperationException("finalReadingKwh", "Billing did not confirm the final reading in time; nothing was changed. Try again.");
        }

        var at = sample.At;
        if (!await db.Readings.AsNoTracking().AnyAsync(r => r.MeterId == meter && r.At == at, cancellationToken))
        {
            throw new MoneyOperationException("finalReadingKwh", "Billing refused the final reading (see the meter's rejected readings); nothing was changed.");
        }

        return (sample.EnergyWh!.Value, source);
    }
}
