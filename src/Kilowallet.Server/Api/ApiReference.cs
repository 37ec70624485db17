using Kilowallet.Server.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Kilowallet.Server.Api;

/// <summary>
/// The OpenAPI document of /api/v1 at /openapi/v1.json (generated from the endpoints, so it never
/// drifts from them) and the interactive reference at /api/docs, served from the server itself
/// (Swagger UI's files are embedded; nothing is fetched from the internet).
/// </summary>
public static class ApiReference
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string PagePrefix = "api/docs";
    public const string CookieScheme = "cookie";
    public const string ApiKeyScheme = "apiKey";

    private const string Overview = """
        Prepaid electricity for shopping malls: sites, shops, tenants, accounts, meters, gateways, readings, tariffs, money, alarms.

        **Authentication.** Two ways, one per kind of caller:
        - *People* sign in with `POST /api/v1/auth/login` (`{"userName","password"}`) and get the `kw.auth` cookie.
          Every change made with the cookie (POST, PUT, DELETE) must also carry the `X-CSRF-Token` header, whose value
          comes from `GET /api/v1/auth/antiforgery`; the console's scripts do this, and so does this page.
        - *Systems* send an API key: `X-Api-Key: kw_…` (or `Authorization: ApiKey kw_…`). Keys are created by an
          administrator at `POST /api/v1/api-keys` with scopes `admin`, `operate` or `collect`, shown once, and revocable.
          API-key calls need no CSRF token.

        **Roles and scopes.** Each operation names its policy: *admin* (users, API keys, audit, webhooks; role admin or
        scope admin), *operate* (directory, meters, tariffs, relays, alarms; admin or operator; scopes admin or operate),
        *collect* (find accounts, top up; admin, operator or cashier; scopes admin, operate or collect), *staff* (any staff
        member or key), *tenant* (a tenant user, only their own accounts). Refused calls get 401 (not signed in) or 403;
        a tenant asking for another tenant's resource gets 404.

        **Money and Idempotency-Key.** Every money-moving POST (top-ups, refunds, adjustments, transfers) takes an
        `Idempotency-Key` header (any string up to 100 characters, unique per intended operation). A retry with the same
        key from the same caller returns the original result (200 with `replayed: true`) instead of moving money again;
        the same key with a different request is a 409. A till top-up may give a receipt number instead.

        **Errors** are RFC 9457 problem details (`application/problem+json`); invalid fields come as
        `errors: { field: [messages] }` (400), duplicates as 409, refused operations as 422.
        **Lists** take `offset` and `limit` (default 50, at most 500) and return `{ items, total, offset, limit }`.
        Money is a decimal in the site's currency; instants are ISO 8601 with offset.
        """;

    public static IServiceCollection AddKilowalletApiReference(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = "Kilowallet API", Version = DocumentName, Description = Overview };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = "kw.auth",
                    Description = "The sign-in cookie from POST /api/v1/auth/login; changes also need the X-CSRF-Token header (GET /api/v1/auth/antiforgery).",
                };
                document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "An integrator's API key (kw_…); also accepted as Authorization: ApiKey kw_…",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Description = Prefix("Anonymous: no sign-in needed.", operation.Description);
                    return Task.CompletedTask;
                }

                var policies = Effective(metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>());
                if (metadata.OfType<IAuthorizeData>().Any())
                {
                    var who = policies.Count == 0 ? "any signed-in user or API key" : string.Join(" and ", policies.Select(Describe));
                    operation.Description = Prefix($"Authorization: {who}.", operation.Description);
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] });
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] });
                }

                if (metadata.OfType<IdempotencyKeyMetadata>().FirstOrDefault() is { } idempotency)
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyKeys.Header,
                        In = ParameterLocation.Header,
                        Required = idempotency.Required,
                        Description = idempotency.Required
                            ? "Unique per intended operation (at most 100 characters): a retry with the same key returns the original result instead of moving money twice."
                            : "Unique per intended operation (at most 100 characters); required unless the body carries a till receipt number. A retry returns the original result.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
                    });
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Maps the document and the reference page (both public: they describe the API, they open nothing).</summary>
    public static void MapKilowalletApiReference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = PagePrefix;
            ui.DocumentTitle = "Kilowallet API reference";
            ui.SwaggerEndpoint(DocumentPath, "Kilowallet API v1");
            ui.EnableTryItOutByDefault();
            ui.EnableValidator(null);

            // Changes made with the sign-in cookie need the CSRF token: fetch it before each change.
            ui.UseRequestInterceptor("""
                (request) => {
                  if (!request.method || request.method === 'GET' || request.headers['X-Api-Key']) return request;
                  return fetch('/api/v1/auth/antiforgery', { credentials: 'same-origin' })
                    .then(r => r.ok ? r.json() : null)
                    .then(t => { if (t) request.headers[t.headerName] = t.token; return request; })
                    .catch(() => request);
                }
                """);
        });
    }

    /// <summary>The policies an endpoint really needs: of staff ⊇ collect ⊇ operate ⊇ admin, a group's staff and an endpoint's operate mean operate.</summary>
    private static List<string> Effective(IEnumerable<string> policies)
    {
        string[] chain = [Policies.Admin, Policies.Operate, Policies.Collect, Policies.Staff];
        var all = policies.Distinct(StringComparer.Ordinal).ToList();
        var strictest = chain.FirstOrDefault(all.Contains);
        return all.Where(p => !chain.Contains(p) || p == strictest).ToList();
    }

    private static string Describe(string policy) => policy switch
    {
        Policies.Admin => "admin (role admin; API key scope admin)",
        Policies.Operate => "operate (roles admin, operator; API key scopes admin, operate)",
        Policies.Collect => "collect (roles admin, operator, cashier; API key scopes admin, operate, collect)",
        Policies.Staff => "staff (roles admin, operator, cashier; any API key scope)",
        Policies.Tenant => "tenant (a tenant user, own accounts only)",
        _ => policy,
    };

    private static string Prefix(string line, string? description) =>
        string.IsNullOrEmpty(description) ? line : line + "\n\n" + description;
}
