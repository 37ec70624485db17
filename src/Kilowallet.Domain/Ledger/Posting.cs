using System.Collections.Immutable;

namespace Kilowallet.Domain.Ledger;

/// <summary>
/// An immutable, balanced journal entry. Invariants, checked on every construction: at least two
/// lines, no zero line, each account at most once, amounts in whole minor units, lines summing to
/// exactly zero, and a specified <see cref="IdempotencyKey"/>.
/// <para>
/// Sign convention: a line's amount is a credit when positive and a debit when negative, and an
/// account's balance is the sum of its lines. So a wallet's positive balance is money held for the
/// tenant; revenue and refunds-payable balances are positive; a cash drawer's or clearing account's
/// balance is negative (money the property holds or is owed). Across the whole ledger all balances sum to zero.
/// </para>
/// <list type="table">
/// <item><term>opening balance</term><description>wallet +a, opening-equity −a (a may be negative)</description></item>
/// <item><term>top-up</term><description>wallet +a, cash drawer or clearing −a</description></item>
/// <item><term>charge</term><description>wallet −a, revenue:band +a</description></item>
/// <item><term>fixed fee</term><description>wallet −a, fixed-fee-revenue +a</description></item>
/// <item><term>refund</term><description>wallet −a, refunds:channel +a</description></item>
/// <item><term>adjustment</term><description>wallet +a, adjustments −a (a may be negative)</description></item>
/// <item><term>transfer</term><description>source wallet −a, destination wallet +a</description></item>
/// <item><term>closing settlement</term><description>wallet −b, refunds:channel or adjustments +b, where b is the posted balance</description></item>
/// <item><term>reversal</term><description>every line of the original, negated</description></item>
/// </list>
/// Invalid input is refused with an <see cref="ArgumentException"/> whose message says why.
/// </summary>
public sealed class Posting
{
    private const int MaxReasonLength = 500;

    private Posting(PostingKind kind, ImmutableArray<PostingLine> lines, IdempotencyKey key, string? reason, string? operatorId)
    {
        Kind = kind;
        Lines = lines;
        Key = key;
        Reason = reason;
        OperatorId = operatorId;
    }

    public PostingKind Kind { get; }

    public ImmutableArray<PostingLine> Lines { get; }

    /// <summary>The posting's identity; storage keeps its text unique so a retry posts once.</summary>
    public IdempotencyKey Key { get; }

    /// <summary>Why: required for adjustments, reversals, refunds, transfers; optional otherwise.</summary>
    public string? Reason { get; }

    /// <summary>The user who made the posting; required for operator actions, null for automatic postings.</summary>
    public string? OperatorId { get; }

    /// <summary>The posting's amount on <paramref name="account"/> in minor units; 0 when the account is not involved.</summary>
    public long AmountFor(LedgerAccountKey account)
    {
        foreach (var line in Lines)
        {
            if (line.Account == account)
            {
                return line.AmountMinor;
            }
        }

        return 0;
    }

    /// <summary>
    /// Builds a posting from explicit lines, checking every invariant. The kind factories below are
    /// the usual way in; this one also rebuilds postings read back from storage.
    /// </summary>
    public static Posting Create(
        PostingKind kind,
        IEnumerable<PostingLine> lines,
        IdempotencyKey key,
        string? reason = null,
        string? operatorId = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown posting kind.");
        }

        if (!key.IsSpecified)
        {
            throw new ArgumentException("A posting needs an idempotency key.", nameof(key));
        }

        var checkedLines = lines.ToImmutableArray();
        if (checkedLines.Length < 2)
        {
            throw new ArgumentException("A posting needs at least two lines.", nameof(lines));
        }

        var seen = new HashSet<LedgerAccountKey>();
        long sum = 0;
        foreach (var line in checkedLines)
        {
            if (!line.Account.IsSpecified)
            {
                throw new ArgumentException("A posting line names no account.", nameof(lines));
            }

            if (line.AmountMinor == 0)
            {
                throw new ArgumentException($"The line on {line.Account} is zero.", nameof(lines));
            }

            if (!seen.Add(line.Account))
            {
                throw new ArgumentException($"{line.Account} appears on more than one line.", nameof(lines));
            }

            sum += line.AmountMinor;
        }

        if (sum != 0)
        {
            throw new ArgumentException($"The lines sum to {Money.FromMinorUnits(sum)}, not zero.", nameof(lines));
        }

        var needsReason = kind is PostingKind.Adjustment or PostingKind.Reversal or PostingKind.Refund or PostingKind.Transfer;
        var needsOperator = needsReason || kind is PostingKind.OpeningBalance or PostingKind.ClosingSettlement;
        return new Posting(
            kind,
            checkedLines,
            key,
            CheckReason(reason, needsReason, kind),
            CheckOperator(operatorId, needsOperator, kind));
    }

    /// <summary>Brings a balance over from a previous system. The amount may be negative (a debt) but not zero.</summary>
    public static Posting OpeningBalance(AccountId account, Money amount, IdempotencyKey key, string operatorId) =>
        Create(
            PostingKind.OpeningBalance,
            Pair(LedgerAccountKey.Wallet(account), LedgerAccountKey.OpeningEquity, NonZero(amount, nameof(amount))),
            key,
            null,
            operatorId);

    /// <summary>Credits the wallet with money taken at a cashier's drawer or through a payment provider's clearing account.</summary>
    public static Posting TopUp(AccountId account, Money amount, LedgerAccountKey source, IdempotencyKey key, string? operatorId = null)
    {
        if (!source.IsSpecified || source.Kind is not (LedgerAccountKind.CashDrawer or LedgerAccountKind.Clearing))
        {
            throw new ArgumentException($"A top-up is funded from a cash drawer or a clearing account, not {source}.", nameof(source));
        }

        return Create(PostingKind.TopUp, Pair(LedgerAccountKey.Wallet(account), source, Positive(amount, nameof(amount))), key, operatorId: operatorId);
    }

    /// <summary>Charges energy used in one tariff band: debits the wallet, credits that band's revenue.</summary>
    public static Posting Charge(AccountId account, RevenueBand band, Money amount, IdempotencyKey key) =>
        Create(
            PostingKind.Charge,
            Pair(LedgerAccountKey.Revenue(band), LedgerAccountKey.Wallet(account), Positive(amount, nameof(amount))),
            key);

    /// <summary>Charges a fixed daily or monthly fee; <paramref name="description"/> says which (e.g. "Service fee 2025-01").</summary>
    public static Posting FixedFee(AccountId account, Money amount, IdempotencyKey key, string? description = null) =>
        Create(
            PostingKind.FixedFee,
            Pair(LedgerAccountKey.FixedFeeRevenue, LedgerAccountKey.Wallet(account), Positive(amount, nameof(amount))),
            key,
            description);

    /// <summary>Pays money back out of the wallet: it becomes payable to the tenant through <paramref name="payoutChannel"/>.</summary>
    public static Posting Refund(
        AccountId account, Money amount, string payoutChannel, IdempotencyKey key, string reason, string operatorId) =>
        Create(
            PostingKind.Refund,
            Pair(LedgerAccountKey.RefundsPayable(payoutChannel), LedgerAccountKey.Wallet(account), Positive(amount, nameof(amount))),
            key,
            reason,
            operatorId);

    /// <summary>Corrects a wallet by an operator's decision: positive credits the tenant, negative debits.</summary>
    public static Posting Adjustment(AccountId account, Money amount, IdempotencyKey key, string reason, string operatorId) =>
        Create(
            PostingKind.Adjustment,
            Pair(LedgerAccountKey.Wallet(account), LedgerAccountKey.Adjustments, NonZero(amount, nameof(amount))),
            key,
            reason,
            operatorId);

    /// <summary>Moves credit from one wallet to another (e.g. between two accounts of one tenant).</summary>
    public static Posting Transfer(
        AccountId from, AccountId to, Money amount, IdempotencyKey key, string reason, string operatorId)
    {
        if (from == to)
        {
            throw new ArgumentException($"A transfer needs two different accounts; both sides are account {from}.", nameof(to));
        }

        return Create(
            PostingKind.Transfer,
            Pair(LedgerAccountKey.Wallet(to), LedgerAccountKey.Wallet(from), Positive(amount, nameof(amount))),
            key,
            reason,
            operatorId);
    }

    /// <summary>
    /// Empties a wallet when its account closes. <paramref name="postedBalance"/> is the wallet's posted
    /// balance after every charge has been posted. A positive balance goes to refunds payable (to be paid
    /// out) or to adjustments (forfeited); a negative one (a debt) is written off to adjustments.
    /// A zero balance needs no posting and is refused.
    /// </summary>
    public static Posting ClosingSettlement(
        AccountId account, Money postedBalance, LedgerAccountKey destination, IdempotencyKey key, string operatorId, string? reason = null)
    {
        var balance = NonZero(postedBalance, nameof(postedBalance));
        var allowed = balance > 0
            ? destination.IsSpecified && destination.Kind is LedgerAccountKind.RefundsPayable or LedgerAccountKind.Adjustments
            : destination.IsSpecified && destination.Kind is LedgerAccountKind.Adjustments;
        if (!allowed)
        {
            throw new ArgumentException(
                balance > 0
                    ? $"A closing credit balance goes to refunds payable or adjustments, not {destination}."
                    : $"A closing debt is written off to adjustments, not {destination}.",
                nameof(destination));
        }

        return Create(
            PostingKind.ClosingSettlement,
            Pair(destination, LedgerAccountKey.Wallet(account), balance),
            key,
            reason,
            operatorId);
    }

    /// <summary>
    /// The exact negation of <paramref name="original"/>, keyed "reversal:{original key}" so an
    /// original is reversed at most once. Reversing the reversal restores the original's lines.
    /// </summary>
    public static Posting Reverse(Posting original, string reason, string operatorId)
    {
        ArgumentNullException.ThrowIfNull(original);
        return Create(
            PostingKind.Reversal,
            original.Lines.Select(line => line.Negated()),
            IdempotencyKey.ForReversalOf(original.Key),
            reason,
            operatorId);
    }

    public override string ToString() => $"{Kind} {Key}: {string.Join(", ", Lines)}";

    /// <summary>Two lines: <paramref name="credited"/> +amount, <paramref name="debited"/> −amount.</summary>
    private static PostingLine[] Pair(LedgerAccountKey credited, LedgerAccountKey debited, long amountMinor) =>
        [new(credited, amountMinor), new(debited, -amountMinor)];

    private static long Positive(Money amount, string parameterName)
    {
        var minor = WholeMinorUnits(amount, parameterName);
        return minor > 0
            ? minor
            : throw new ArgumentOutOfRangeException(parameterName, amount.Amount, "The amount must be positive.");
    }

    private static long NonZero(Money amount, string parameterName)
    {
        var minor = WholeMinorUnits(amount, parameterName);
        return minor != 0
            ? minor
            : throw new ArgumentOutOfRangeException(parameterName, amount.Amount, "The amount must not be zero.");
    }

    private static long WholeMinorUnits(Money amount, string parameterName) =>
        amount.IsWholeMinorUnits
            ? amount.ToMinorUnits()
            : throw new ArgumentException($"{amount} is not a whole number of minor units.", parameterName);

    private static string? CheckReason(string? reason, bool required, PostingKind kind)
    {
        if (reason is null)
        {
            return required ? throw new ArgumentException($"A {kind} posting needs a reason.", nameof(reason)) : null;
        }

        var trimmed = reason.Trim();
        return trimmed.Length is > 0 and <= MaxReasonLength
            ? trimmed
            : throw new ArgumentException($"A reason has 1–{MaxReasonLength} characters.", nameof(reason));
    }

    private static string? CheckOperator(string? operatorId, bool required, PostingKind kind)
    {
        if (operatorId is null)
        {
            return required ? throw new ArgumentException($"A {kind} posting needs the operator who made it.", nameof(operatorId)) : null;
        }

        return LedgerAccountKey.IsQualifier(operatorId)
            ? operatorId
            : throw new ArgumentException($"'{operatorId}' is not a valid operator id.", nameof(operatorId));
    }
}
