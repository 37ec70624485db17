using Kilowallet.Server.Api;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kilowallet.Server.Auth;

/// <summary>
/// /api/v1/auth/tenant: a shop owner's one-time-code sign-in for apps (the portal's page uses the same
/// service). Anonymous and rate-limited per client address; the answer to a code request never says
/// whether the address belongs to a tenant.
/// </summary>
public static class TenantSignInEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth/tenant").WithTags("Authentication").AllowAnonymous().RequireRateLimiting(AuthServiceCollectionExtensions.LoginRateLimit);
        group.MapPost("/code", RequestCode);
        group.MapPost("/sign-in", SignIn);
    }

    public sealed record CodeRequest(string? Destination, string? Language);

    public sealed record SignInRequest(string? Destination, string? Code);

    public sealed record CodeSentDto(string Destination, int ValidMinutes);

    public sealed record SignedInDto(string Destination);

    public static async Task<Results<Accepted<CodeSentDto>, ProblemHttpResult>> RequestCode(CodeRequest request, TenantSignIn signIn, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        var language = request.Language is { Length: > 0 } code ? UiLanguage.Parse(code) : UiLanguage.Current;
        var outcome = await signIn.RequestCodeAsync(request.Destination, language, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return outcome switch
        {
            TenantSignIn.RequestOutcome.Sent => TypedResults.Accepted((string?)null, new CodeSentDto(TenantSignIn.Normalize(request.Destination)!, (int)TenantSignIn.CodeLifetime.TotalMinutes)),
            TenantSignIn.RequestOutcome.Invalid => Problems.Validation("destination", "Give a mobile number (+86…) or an email address."),
            TenantSignIn.RequestOutcome.TooSoon => TypedResults.Problem(title: "A code was sent less than a minute ago.", statusCode: StatusCodes.Status429TooManyRequests),
            TenantSignIn.RequestOutcome.TooMany => TypedResults.Problem(title: "Too many codes for this address; try again in an hour.", statusCode: StatusCodes.Status429TooManyRequests),
            _ => TypedResults.Problem(title: "Codes cannot be sent through this channel.", statusCode: StatusCodes.Status503ServiceUnavailable),
        };
    }

    public static async Task<Results<Ok<SignedInDto>, ProblemHttpResult>> SignIn(SignInRequest request, TenantSignIn signIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await signIn.VerifyAndSignInAsync(request.Destination, request.Code, cancellationToken);
        return outcome switch
        {
            TenantSignIn.VerifyOutcome.SignedIn => TypedResults.Ok(new SignedInDto(TenantSignIn.Normalize(request.Destination)!)),
            TenantSignIn.VerifyOutcome.Wrong or TenantSignIn.VerifyOutcome.Invalid => Problems.Unauthorized("The code is wrong."),
            TenantSignIn.VerifyOutcome.Locked => Problems.Unauthorized("Too many wrong codes; ask for a new one."),
            _ => Problems.Unauthorized("The code has expired or was used; ask for a new one."),
        };
    }
}
