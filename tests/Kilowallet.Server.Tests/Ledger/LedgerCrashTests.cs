using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Kilowallet.Domain;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kilowallet.Server.Tests.Ledger;

/// <summary>
/// The real server as its own process on a SQLite file — Demo Plaza's simulated meters polled, rated and
/// posted as charges at 1,800× speed while the test tops up one of their accounts over HTTP from several
/// clients — killed with SIGKILL at random moments, round after round. After every kill the verify-ledger
/// command finds no mismatch; after every restart each top-up the API confirmed is still there, once, and a
/// retry with the same Idempotency-Key replays it; a top-up whose answer was lost is retried and ends in the
/// ledger exactly once.
/// </summary>
public sealed class LedgerCrashTests
{
    private const int Kills = 3;
    private const int Clients = 6;
    private const int ReplaysPerRound = 60;
    private const string RatedUpTo = "SELECT COALESCE(MAX(last_at), 0) FROM meter_rating_states";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private static readonly System.Diagnostics.Stopwatch Watch = System.Diagnostics.Stopwatch.StartNew();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Attempt(string Key, long AmountMinor);

    [Fact]
    public async Task Killed_server_keeps_the_ledger_whole_and_every_confirmed_top_up_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var environment = new Dictionary<string, string?>(database.Settings)
        {
            ["Demo:Enabled"] = "true",
            ["Simulator:Speed"] = "1800",
            ["Simulator:HistoryDays"] = "1",
            ["Mqtt:EmbeddedPort"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Notifications:WorkersEnabled"] = "false",
            ["Auth:InitialAdminPassword"] = KilowalletApp.AdminPassword,
        };
        var file = Path.Combine(database.DataDirectory, "kilowallet.db");
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        Log($"seed {seed}");

        var confirmed = new ConcurrentDictionary<string, long>(StringComparer.Ordinal); // key → entry id the API returned
        var amounts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var lost = new ConcurrentDictionary<string, Attempt>(StringComparer.Ordinal);     // sent, no answer: outcome unknown
        string? secret = null;
        long? account = null;
        long chargesBefore = 0;

        for (var round = 0; round <= Kills; round++)
        {
            using var server = await StartAsync(environment);
            Log($"round {round}: server up");
            secret ??= await CreateApiKeyAsync(server.Address);
            using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, secret);
            if (account is null)
            {
                // The tenant account whose meters the history charged most: its meters are live in the simulator.
                account = await ScalarAsync(file, "SELECT account_id FROM ledger_entries WHERE kind = 2 GROUP BY account_id ORDER BY COUNT(*) DESC, account_id LIMIT 1");
                chargesBefore = await ScalarAsync(file, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 2");
                Log($"account {account}, {chargesBefore} charge entries from the history");
            }

            // After the restart: top-ups confirmed before the kill (a sample; the ledger is checked for all of them at the end)
            // replay their entries; every lost one is retried with its key and lands once.
            var lastRound = string.Create(CultureInfo.InvariantCulture, $"crash-{round - 1}-");
            await Parallel.ForEachAsync(confirmed.Where(c => c.Key.StartsWith(lastRound, StringComparison.Ordinal)).OrderBy(_ => random.Next()).Take(ReplaysPerRound).ToList(), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = Ct }, async (pair, ct) =>
            {
                var (status, entry, replayed) = await TopUpAsync(client, account.Value, pair.Key, amounts[pair.Key], ct);
                Assert.True(status == HttpStatusCode.OK && replayed && entry == pair.Value, $"{pair.Key} (entry {pair.Value}) retried after the restart: {status}, entry {entry}, replayed {replayed}");
            });
            await Parallel.ForEachAsync(lost.Values.ToList(), new ParallelOptions { MaxDegreeOfParallelism = Clients, CancellationToken = Ct }, async (attempt, ct) =>
            {
                var (status, entry, _) = await TopUpAsync(client, account.Value, attempt.Key, attempt.AmountMinor, ct);
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"{attempt.Key} retried after the restart: {status}");
                confirmed[attempt.Key] = entry;
                lost.TryRemove(attempt.Key, out _);
            });

            Log($"round {round}: retried");
            if (round == Kills)
            {
                await server.Process.KillAsync();
                break;
            }

            // Top-ups from several clients while the meters are billed; killed at a random moment once charges are being posted.
            var charges = await ScalarAsync(file, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 2");
            var rated = await ScalarAsync(file, RatedUpTo);
            using var stop = new CancellationTokenSource();
            var sent = 0;
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var attempt = new Attempt(string.Create(CultureInfo.InvariantCulture, $"crash-{round}-{c}-{i}"), 1_00 + (((round * 7_919) + (c * 997) + (i * 37)) % 9_900));
                    amounts[attempt.Key] = attempt.AmountMinor;
                    lost[attempt.Key] = attempt;
                    Interlocked.Increment(ref sent);
                    try
                    {
                        var (status, entry, replayed) = await TopUpAsync(client, account.Value, attempt.Key, attempt.AmountMinor, CancellationToken.None);
                        Assert.True(status == HttpStatusCode.Created && !replayed, $"{attempt.Key}: {status}, replayed {replayed}");
                        confirmed[attempt.Key] = entry;
                        lost.TryRemove(attempt.Key, out _);
                    }
                    catch (HttpRequestException) when (stop.IsCancellationRequested || server.Process.HasExited)
                    {
                        return; // Killed under this request: its outcome is unknown until the retry.
                    }
                }
            }, Ct)).ToList();

            // A random moment after top-ups flow and the meters are billed again (a restarted simulator's clock starts
            // at the real time, so its readings are older than the last run's until it has caught up).
            await WaitForAsync(async () => Volatile.Read(ref sent) > Clients * 3, TimeSpan.FromMinutes(1));
            await WaitForAsync(async () => await ScalarAsync(file, RatedUpTo) > rated, TimeSpan.FromSeconds(20));
            await Task.Delay(random.Next(0, 2_000), Ct);
            await stop.CancelAsync();
            await server.Process.KillAsync();
            await Task.WhenAll(clients);
            Log($"kill {round + 1}: {Volatile.Read(ref sent)} top-ups sent, {lost.Count} unanswered; charge entries {charges} → {await ScalarAsync(file, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 2")}, rated {(await ScalarAsync(file, RatedUpTo) - rated) / 60_000} minutes further");

            await VerifyLedgerAsync(database);
            Log("verified");
        }

        await VerifyLedgerAsync(database);
        Assert.Empty(lost);

        // Exactly the top-ups the API confirmed, each once, each with its amount: nothing lost, nothing doubled.
        var entries = new Dictionary<long, long>();
        await using (var connection = await OpenAsync(file))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, wallet_amount_minor FROM ledger_entries WHERE kind = 1 AND account_id = @account";
            command.Parameters.AddWithValue("@account", account!.Value);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                entries.Add(reader.GetInt64(0), reader.GetInt64(1));
            }
        }

        Assert.Equal(confirmed.Values.Order(), entries.Keys.Order());
        Assert.All(confirmed, pair => Assert.Equal(amounts[pair.Key], entries[pair.Value]));
        var chargesAfter = await ScalarAsync(file, "SELECT COUNT(*) FROM ledger_entries WHERE kind = 2");
        Assert.True(chargesAfter > chargesBefore, "the simulated meters' charges were posted while the server was being killed");
        Log($"{confirmed.Count} top-ups in the ledger once each; {chargesAfter - chargesBefore} charge entries posted across {Kills} kills");
    }

    private sealed record Server(ServerProcess.Running Process, Uri Address) : IDisposable
    {
        public void Dispose() => Process.Dispose();
    }

    private static async Task<Server> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var process = ServerProcess.Start(["--urls", address.ToString()], environment);
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Assert.False(process.HasExited, "The server stopped while starting: " + process.Output);
            try
            {
                if ((await client.GetAsync("/alive", Ct)).IsSuccessStatusCode)
                {
                    return new Server(process, address);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, Ct);
        }

        process.Dispose();
        throw new TimeoutException("The server did not start: " + process.Output);
    }

    private static async Task VerifyLedgerAsync(TestDatabase database)
    {
        var verify = await ServerProcess.RunAsync(["verify-ledger"], database.Settings, CommandTimeout);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Contains("Ledger verified: no mismatch.", verify.Output, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, long EntryId, bool Replayed)> TopUpAsync(HttpClient client, long account, string key, long amountMinor, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/accounts/{account}/topups")
        {
            Content = JsonContent.Create(new { amount = Money.FromMinorUnits(amountMinor).Amount, method = "cash" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            return (response.StatusCode, 0, false);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.Equal(Money.FromMinorUnits(amountMinor).Amount, body.GetProperty("amount").GetDecimal());
        return (response.StatusCode, body.GetProperty("entryId").GetInt64(), body.GetProperty("replayed").GetBoolean());
    }

    /// <summary>An API key able to take top-ups, made by the first administrator through the API.</summary>
    private static async Task<string> CreateApiKeyAsync(Uri server)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var admin = new HttpClient(handler) { BaseAddress = server };
        (await admin.PostAsJsonAsync("/api/v1/auth/login", new { userName = "admin", password = KilowalletApp.AdminPassword }, Ct)).EnsureSuccessStatusCode();
        var tokens = await admin.GetFromJsonAsync<JsonElement>("/api/v1/auth/antiforgery", Ct);
        admin.DefaultRequestHeaders.Add(tokens.GetProperty("headerName").GetString()!, tokens.GetProperty("token").GetString());
        using var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "crash-test", scopes = new[] { ApiKeyScopes.Collect } }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("secret").GetString()!;
    }

    private static async Task<SqliteConnection> OpenAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task<long> ScalarAsync(string file, string sql)
    {
        await using var connection = await OpenAsync(file);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="limit"/> has passed.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        for (var i = 0; i < limit.TotalMilliseconds / 100 && !await condition(); i++)
        {
            await Task.Delay(100, Ct);
        }
    }

    private static void Log(string line) =>
        TestContext.Current.TestOutputHelper?.WriteLine(Watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s: " + line);
}
