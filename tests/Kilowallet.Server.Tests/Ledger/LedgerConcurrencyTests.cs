using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Domain.Tariffs;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Ledger;
using Kilowallet.Server.Metering.Billing;
using Kilowallet.Server.Storage;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Ledger;

/// <summary>
/// Many top-ups and charges racing on ONE account: top-ups over real HTTP (Kestrel, distinct
/// Idempotency-Keys, and retries of the same key fired at the same moment), readings rated and accrued
/// by the ReadingBiller meter by meter, and ChargePoster passes posting closed hours meanwhile. The
/// final balance must equal the hand-computed sum to the pico unit, every key must be credited once,
/// the cached balance must equal the sum of its lines, every posting must balance, and the
/// verify-ledger command must find nothing — on SQLite and on PostgreSQL.
/// </summary>
public sealed class LedgerConcurrencyTests
{
    private const int DistinctTopUps = 160;
    private const int RetriedKeys = 16;
    private const int CopiesPerRetriedKey = 5;
    private const int Meters = 4;
    private const int Minutes = 12 * 60;
    private const int ReadingsPerBatch = 20;
    private const long OpeningMinor = 1_000_00;

    /// <summary>1.2345 CNY/kWh: one Wh costs 1.2345 × 10⁹ pico units, exactly.</summary>
    private const decimal Price = 1.2345m;
    private const long PicoPerWh = 1_234_500_000L;
    private const long PicoPerFen = MoneyPrecision.PicoUnitsPerMajor / Money.MinorUnitsPerMajor;

    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static TariffPlan FlatPlan() => new("FLAT-RACE", "Flat", "CNY",
    [
        new TariffVersion(1, new DateOnly(2026, 1, 1), new BandPrices(Flat: Price), [new Season("All year", 1, 12, [new TariffPeriod(new TimeOnly(0, 0), new TimeOnly(0, 0), TariffBand.Flat)])]),
    ]);

    /// <summary>Watt-hours meter <paramref name="meter"/> uses each minute (different per meter).</summary>
    private static long WhPerMinute(int meter) => 11 + (4 * meter);

    private static long AmountMinorOf(int job) => 1_00 + (job * 37 % 4_900);

    private sealed record Reply(string Key, HttpStatusCode Status, long EntryId, bool Replayed, decimal Amount);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Parallel_top_ups_retries_and_charges_on_one_account_end_at_the_exact_balance(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database, kestrel: true);
        var made = await BillingSetup.MakeAsync(app.Services, FlatPlan(), meters: Meters);
        var account = made.Account.Value;
        using var till = await app.CreateApiClientAsync(ApiKeyScopes.Collect);
        var opening = await till.SendAsync(TopUp(account, "opening", OpeningMinor), Ct);
        Assert.Equal(HttpStatusCode.Created, opening.StatusCode);
        var openingEntry = (await opening.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("entryId").GetInt64();

        var seed = Random.Shared.Next();
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}");
        var random = new Random(seed);

        // Jobs: a distinct key each, or one key sent five times at the same moment; in a random order.
        var jobs = Enumerable.Range(0, DistinctTopUps + RetriedKeys)
            .Select(i => (Key: "race-" + i.ToString(CultureInfo.InvariantCulture), AmountMinor: AmountMinorOf(i), Copies: i < RetriedKeys ? CopiesPerRetriedKey : 1))
            .OrderBy(_ => random.Next())
            .ToList();
        var replies = new ConcurrentBag<Reply>();
        var topUps = Parallel.ForEachAsync(
            jobs,
            new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = Ct },
            async (job, ct) =>
            {
                var copies = await Task.WhenAll(Enumerable.Range(0, job.Copies).Select(_ => Task.Run(() => SendAsync(till, account, job.Key, job.AmountMinor, ct), ct)));
                foreach (var reply in copies)
                {
                    replies.Add(reply);
                }
            });

        // Charges: each meter's readings in order (as a meter sends them), meters in parallel, posting passes meanwhile.
        var biller = app.Services.GetRequiredService<ReadingBiller>();
        var poster = app.Services.GetRequiredService<ChargePoster>();
        var meters = Task.WhenAll(made.Meters.Select((meter, m) => Task.Run(
            async () =>
            {
                var samples = Enumerable.Range(0, Minutes + 1).Select(i => BillingSetup.Reading(meter, Start.AddMinutes(i), 1_000_000 + (i * WhPerMinute(m)))).ToList();
                foreach (var batch in samples.Chunk(ReadingsPerBatch))
                {
                    var outcome = await biller.ApplyAsync(batch, Ct);
                    Assert.Equal(0, outcome.Quarantined);
                }
            },
            Ct)));
        var passes = 0;
        var entriesWhileRacing = 0;
        var posting = Task.Run(
            async () =>
            {
                while (!meters.IsCompleted || !topUps.IsCompleted)
                {
                    entriesWhileRacing += await poster.PostChargesAsync(Ct);
                    passes++;
                    await Task.Delay(5, Ct);
                }
            },
            Ct);
        await Task.WhenAll(topUps, meters, posting);
        TestContext.Current.TestOutputHelper?.WriteLine($"{passes} posting passes wrote {entriesWhileRacing} charge entries while racing");
        await poster.PostChargesAsync(Ct, made.Account);

        // Every request succeeded: a distinct key credited (201); of each retried key's copies exactly one credited and the rest replayed it.
        var all = replies.ToList();
        Assert.All(all, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{r.Key}: {r.Status}"));
        Assert.Equal(DistinctTopUps + (RetriedKeys * CopiesPerRetriedKey), all.Count);
        foreach (var group in all.GroupBy(r => r.Key))
        {
            Assert.Single(group, r => r.Status == HttpStatusCode.Created);
            Assert.All(group.Where(r => r.Status == HttpStatusCode.OK), r => Assert.True(r.Replayed));
            Assert.Single(group.Select(r => r.EntryId).Distinct());
            Assert.Single(group.Select(r => r.Amount).Distinct());
        }

        // The ledger through the API: one top-up entry per key (and the opening one), no more.
        var ledger = await till.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}/ledger?kind=TopUp&limit=500", Ct);
        var entryIds = ledger.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("entryId").GetInt64()).ToList();
        Assert.Equal(1 + DistinctTopUps + RetriedKeys, ledger.GetProperty("total").GetInt32());
        Assert.Equal(entryIds.Count, entryIds.Distinct().Count());
        Assert.Equal(all.Select(r => r.EntryId).Distinct().Append(openingEntry).Order(), entryIds.Order());

        // The money, hand-computed: every key's amount once; every meter's energy at the flat price.
        var topUpsMinor = OpeningMinor + jobs.Sum(j => j.AmountMinor);
        var chargesPico = Enumerable.Range(0, Meters).Sum(m => Minutes * WhPerMinute(m) * PicoPerWh);
        var (walletMinor, accruedPico, carryPico) = await MoneyOfAsync(app.Services, made.Account);
        Assert.Equal(0, accruedPico);
        Assert.Equal(chargesPico % PicoPerFen, carryPico);
        Assert.Equal(topUpsMinor - (chargesPico / PicoPerFen), walletMinor);
        var shown = await till.GetFromJsonAsync<JsonElement>($"/api/v1/accounts/{account}", Ct);
        Assert.Equal(Money.FromMinorUnits(walletMinor).Amount, shown.GetProperty("balance").GetDecimal());

        // The wallet's cached balance is the sum of its lines, and every entry on the account balances (read directly) …
        var (cachedMinor, linesMinor, unbalanced) = await app.Services.GetRequiredService<StorageConnections>().ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT a.balance_minor,
                           (SELECT COALESCE(SUM(l.amount_minor), 0) FROM ledger_lines l WHERE l.ledger_account_id = a.id),
                           (SELECT COUNT(*) FROM ledger_entries e WHERE e.account_id = @id
                              AND (SELECT COALESCE(SUM(l.amount_minor), 0) FROM ledger_lines l WHERE l.entry_id = e.id) <> 0)
                    FROM ledger_accounts a WHERE a.account_id = @id
                    """;
                command.AddParameter("@id", account);
                await using var reader = await command.ExecuteReaderAsync(Ct);
                Assert.True(await reader.ReadAsync(Ct));
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            },
            Ct);
        Assert.Equal(walletMinor, cachedMinor);
        Assert.Equal(cachedMinor, linesMinor);
        Assert.Equal(0, unbalanced);

        // … and the verifier, in process and as the operator runs it (the verify-ledger command), finds nothing anywhere.
        Assert.Empty(await app.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(Ct));
        var verify = await ServerProcess.RunAsync(["verify-ledger"], database.Settings, TimeSpan.FromSeconds(60));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Contains("Ledger verified: no mismatch.", verify.Output, StringComparison.Ordinal);
    }

    private static HttpRequestMessage TopUp(long account, string key, long amountMinor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account}/topups")
        {
            Content = JsonContent.Create(new { amount = Money.FromMinorUnits(amountMinor).Amount, method = "cash" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<Reply> SendAsync(HttpClient client, long account, string key, long amountMinor, CancellationToken cancellationToken)
    {
        using var response = await client.SendAsync(TopUp(account, key, amountMinor), cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            return new Reply(key, response.StatusCode, 0, false, 0);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new Reply(key, response.StatusCode, body.GetProperty("entryId").GetInt64(), body.GetProperty("replayed").GetBoolean(), body.GetProperty("amount").GetDecimal());
    }

    /// <summary>The account's wallet balance, unposted charges and carry, read in one statement (one consistent snapshot).</summary>
    private static async Task<(long WalletMinor, long AccruedPico, long CarryPico)> MoneyOfAsync(IServiceProvider services, AccountId account) =>
        await services.GetRequiredService<StorageConnections>().ReadAsync(
            async connection =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COALESCE(l.balance_minor, 0), a.accrued_pico, a.carry_pico FROM accounts a LEFT JOIN ledger_accounts l ON l.account_id = a.id WHERE a.id = @id";
                command.AddParameter("@id", account.Value);
                await using var reader = await command.ExecuteReaderAsync(Ct);
                Assert.True(await reader.ReadAsync(Ct));
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            },
            Ct);
}
