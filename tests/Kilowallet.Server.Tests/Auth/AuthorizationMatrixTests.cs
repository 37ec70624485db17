using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kilowallet.Server.Auth;
using Kilowallet.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Kilowallet.Server.Tests.Auth;

/// <summary>
/// Every endpoint under /api/v1, found at run time (so endpoints added later are covered), called by
/// every kind of caller: denied exactly where it must be, and a tenant never sees another tenant's data.
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    /// <summary>The only endpoints anyone may call without signing in.</summary>
    private static readonly HashSet<string> AnonymousAllowlist = new(StringComparer.Ordinal)
    {
        "POST /api/v1/auth/login",
        "POST /api/v1/payments/{provider}/callback",
        "POST /api/v1/auth/tenant/code",
        "POST /api/v1/auth/tenant/sign-in",
    };

    private static readonly Caller[] Everyone = Enum.GetValues<Caller>();
    private static readonly Caller[] Admins = [Caller.Admin, Caller.AdminKey];
    private static readonly Caller[] Operators = [Caller.Operator, Caller.Admin, Caller.AdminKey];
    private static readonly Caller[] Collectors = [Caller.Cashier, Caller.Operator, Caller.Admin, Caller.AdminKey];
    private static readonly Caller[] SignedIn = [Caller.Tenant, Caller.Cashier, Caller.Operator, Caller.Admin, Caller.AdminKey];

    /// <summary>
    /// What sensitive groups must allow, whatever their endpoints' metadata says: a weakened policy
    /// fails here. The first matching row decides; "*" is any method.
    /// </summary>
    private static readonly Expectation[] Table =
    [
        new("*", "^/api/v1/(users|api-keys|audit|webhook-subscriptions)(/|$)", Admins, "people, keys, audit and webhooks are for administrators"),
        new("POST", "^/api/v1/notifications/test$", Admins, "test messages are for administrators"),
        new("*", "^/api/v1/tariffs(/|$)", Operators, "tariffs are run by operators; a cashier cannot change them"),
        new("*", "^/api/v1/sites/[^/]+/holidays", Operators, "holiday calendars price energy: operators only"),
        new("*", "/(relay|relay-lock|control|commands|safety-reset|test-read)(/|$)", Operators, "relays and meter control: operators only, never a cashier"),
        new("*", "^/api/v1/(keep-power|sites/[^/]+/friendly-hours)(/|$)", Operators, "protections against cuts: operators only"),
        new("POST", "^/api/v1/accounts/[^/]+/topups$", Collectors, "a cashier may top up"),
        new("POST", "^/api/v1/accounts/[^/]+/(refunds|adjustments|transfers)$", Operators, "a cashier may not refund, adjust or transfer"),
        new("POST", "^/api/v1/accounts/[^/]+/rerate$", Operators, "re-rating a period posts an adjustment: operators only"),
        new("POST", "^/api/v1/ledger/entries/[^/]+/reverse$", Collectors, "a cashier may reverse their own mistaken top-up"),
        new("POST", "^/api/v1/accounts/[^/]+/close$", Operators, "closing an account settles its money: operators only"),
        new("PUT", "^/api/v1/meters/[^/]+/account$", Operators, "moving a meter to another account: operators only"),
        new("POST", "^/api/v1/meters/[^/]+/watch$", Collectors, "any staff member's open meter page asks for fast live values"),
        new("GET", "^/api/v1/gateways(/|$)", Operators, "gateways (hosts, ports) are for operators"),
        new("GET", @"^/api/v1/(tenants(/\{tenantId\})?|sites(/\{siteId\}(/(areas|shops)(/\{\w+\})?)?)?|meters(/\{meterId\}(/(readings|usage))?)?)$", Collectors, "the directory is read by all staff"),
        new("*", @"^/api/v1/(tenants(/\{tenantId\})?|sites(/\{siteId\}(/(areas|shops)(/\{\w+\})?)?)?|meters(/\{meterId\})?|gateways(/\{gatewayId\})?)$", Operators, "the directory is changed by operators only"),
        new("*", "^/api/v1/me/notifications", [Caller.Tenant, Caller.Cashier, Caller.Operator, Caller.Admin], "a person's own inbox; an API key has none"),
        new("*", "^/api/v1/me/notification-settings", [Caller.Tenant], "a tenant's own settings"),
        new("GET", "^/api/v1/auth/me$", [Caller.Tenant, Caller.Cashier, Caller.Operator, Caller.Admin], "a signed-in person; an API key is nobody"),
    ];

    /// <summary>What a tenant user may reach at all; everything else must refuse them.</summary>
    private static readonly Regex[] TenantReach =
    [
        TenantPaths(),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public enum Caller
    {
        Anonymous,
        Tenant,
        Cashier,
        Operator,
        Admin,
        AdminKey,
    }

    [Fact]
    public async Task Every_api_endpoint_declares_who_may_call_it()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database, Settings);
        using var warmUp = app.CreateClient();
        var endpoints = ApiEndpoints(app);
        Assert.True(endpoints.Count > 60, $"only {endpoints.Count} endpoints found under /api/v1");
        Assert.Contains(endpoints, e => e.Key == "POST /api/v1/meters");
        var unlock = Assert.Single(endpoints, e => e.Key == "POST /api/v1/users/{userName}/unlock");
        Assert.Equal([Caller.Admin, Caller.AdminKey], Expected(unlock));
        Assert.Contains(Policies.Admin, unlock.Policies);
        var undeclared = endpoints.Where(e => !e.Anonymous && !e.Authorized).Select(e => e.Key).ToList();
        Assert.True(undeclared.Count == 0, "endpoints without authorization metadata: " + string.Join(", ", undeclared));
        var anonymous = endpoints.Where(e => e.Anonymous).Select(e => e.Key).ToList();
        Assert.True(anonymous.All(AnonymousAllowlist.Contains), "anonymous endpoints not in the allowlist: " + string.Join(", ", anonymous.Where(k => !AnonymousAllowlist.Contains(k))));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_endpoint_refuses_exactly_the_callers_it_must(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var app = new KilowalletApp(database, Settings);
        var mall = await MatrixMall.CreateAsync(app);
        var clients = await CreateClientsAsync(app, mall);
        try
        {
            var failures = new List<string>();
            var endpoints = ApiEndpoints(app).OrderBy(e => e.Template.EndsWith("/logout", StringComparison.Ordinal)).ThenBy(e => e.Key, StringComparer.Ordinal).ToList();
            foreach (var endpoint in endpoints)
            {
                var expected = Expected(endpoint);
                var url = mall.Url(endpoint.Template);
                foreach (var caller in Everyone)
                {
                    var (status, body) = await CallAsync(clients[caller], endpoint.Method, url);
                    var denied = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                    var where = $"{endpoint.Method} {url} as {caller} → {(int)status}";
                    if (caller == Caller.Tenant && MatrixMall.Leaks(body))
                    {
                        failures.Add($"{where}: another tenant's data in the answer");
                    }

                    if ((int)status >= 500)
                    {
                        failures.Add($"{where}: a server error");
                    }

                    if (endpoint.Anonymous)
                    {
                        // Open to all: what it answers (a wrong password, an unsigned callback) is its own business.
                        continue;
                    }

                    if (caller == Caller.Anonymous)
                    {
                        if (status != HttpStatusCode.Unauthorized)
                        {
                            failures.Add($"{where}: an anonymous call must get 401");
                        }
                    }
                    else if (caller == Caller.Tenant && expected.Contains(Caller.Tenant) && MatrixMall.NamesAnotherTenantsResource(endpoint.Template))
                    {
                        if (!denied && status != HttpStatusCode.NotFound)
                        {
                            failures.Add($"{where}: a tenant asking for another tenant's resource must get 403 or 404");
                        }
                    }
                    else if (expected.Contains(caller) && denied)
                    {
                        failures.Add($"{where}: must be allowed");
                    }
                    else if (!expected.Contains(caller) && !denied)
                    {
                        failures.Add($"{where}: must be refused with 401 or 403");
                    }
                }
            }

            Assert.True(failures.Count == 0, $"{failures.Count} of {endpoints.Count * Everyone.Length} calls wrong:\n" + string.Join("\n", failures));
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_tenant_pays_into_their_own_account_and_sees_nothing_of_another()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using var app = new KilowalletApp(database, Settings);
        var mall = await MatrixMall.CreateAsync(app);
        using var tenant = await app.CreateUserClientAsync(Roles.Tenant, new Domain.TenantId(mall.TenantA));

        var own = await tenant.PostAsJsonAsync($"/api/v1/accounts/{mall.AccountA}/payments", new { amount = 50m }, Ct);
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var order = (await own.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("orderNo").GetString();
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync($"/api/v1/payments/{order}", Ct)).StatusCode);

        foreach (var url in new[] { $"/api/v1/accounts/{mall.AccountB}", $"/api/v1/accounts/{mall.AccountB}/ledger", $"/api/v1/tenants/{mall.TenantB}", $"/api/v1/payments/{mall.OrderB}", $"/api/v1/meters/{mall.MeterB}/usage" })
        {
            var response = await tenant.GetAsync(url, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{url} → {(int)response.StatusCode}");
            Assert.False(MatrixMall.Leaks(await response.Content.ReadAsStringAsync(Ct)), url);
        }

        var other = await tenant.PostAsJsonAsync($"/api/v1/accounts/{mall.AccountB}/payments", new { amount = 50m }, Ct);
        Assert.True(other.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"paying into another tenant's account → {(int)other.StatusCode}");
    }

    private static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:LoginAttemptsPerMinute"] = "1000",
        ["Acquisition:Enabled"] = "false",
    };

    /// <summary>The callers allowed by the table, or else by the endpoint's own metadata.</summary>
    private static Caller[] Expected(ApiEndpoint endpoint)
    {
        if (endpoint.Anonymous)
        {
            return Everyone;
        }

        var path = endpoint.Template;
        Caller[] allowed;
        var row = Array.Find(Table, r => (r.Method == "*" || r.Method == endpoint.Method) && Regex.IsMatch(path, r.Path));
        if (row is not null)
        {
            allowed = row.Allowed;
        }
        else
        {
            allowed = SignedIn;
            foreach (var policy in endpoint.Policies)
            {
                allowed = allowed.Intersect(policy switch
                {
                    Policies.Admin => Admins,
                    Policies.Operate => Operators,
                    Policies.Collect or Policies.Staff => Collectors,
                    Policies.Tenant => [Caller.Tenant],
                    _ => throw new InvalidOperationException($"{endpoint.Key} uses policy '{policy}', which this test does not know: add it to Expected."),
                }).ToArray();
            }
        }

        // A tenant reaches only their own things, whatever an endpoint's metadata says.
        return allowed.Contains(Caller.Tenant) && !TenantReach.Any(r => r.IsMatch(path)) ? allowed.Where(c => c != Caller.Tenant).ToArray() : allowed;
    }

    private static List<ApiEndpoint> ApiEndpoints(KilowalletApp app)
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        var result = new List<ApiEndpoint>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            if (!template.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                continue;
            }

            template = template.TrimEnd('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            foreach (var method in methods.Where(m => m != "HEAD" && m != "OPTIONS"))
            {
                result.Add(new ApiEndpoint(method, Regex.Replace(template, @"\{(\w+)(:[^}]*)?\??\}", "{$1}"), anonymous, authorize.Count > 0, [.. authorize.Select(a => a.Policy).OfType<string>().Distinct()]));
            }
        }

        return result;
    }

    private static async Task<Dictionary<Caller, HttpClient>> CreateClientsAsync(KilowalletApp app, MatrixMall mall) => new()
    {
        [Caller.Anonymous] = app.CreateClient(),
        [Caller.Tenant] = await app.CreateUserClientAsync(Roles.Tenant, new Domain.TenantId(mall.TenantA)),
        [Caller.Cashier] = await app.CreateUserClientAsync(Roles.Cashier),
        [Caller.Operator] = await app.CreateUserClientAsync(Roles.Operator),
        [Caller.Admin] = await app.CreateUserClientAsync(Roles.Admin),
        [Caller.AdminKey] = await app.CreateApiClientAsync(ApiKeyScopes.Admin),
    };

    /// <summary>Calls with an empty JSON object as body (so nothing is really changed); streams are closed once their headers arrive.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> CallAsync(HttpClient client, string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return (response.StatusCode, string.Empty);
        }

        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [GeneratedRegex(@"^/api/v1/(me|auth|payments)(/|$)|^/api/v1/accounts/\{accountId\}/payments$")]
    private static partial Regex TenantPaths();

    private sealed record ApiEndpoint(string Method, string Template, bool Anonymous, bool Authorized, string[] Policies)
    {
        public string Key => $"{Method} {Template}";
    }

    private sealed record Expectation(string Method, string Path, Caller[] Allowed, string Why);
}
