using System.ComponentModel.DataAnnotations;
using Kilowallet.Server.Api;
using Kilowallet.Server.Audit;
using Kilowallet.Server.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kilowallet.Server.Auth;

/// <summary>/api/v1/auth (sign in and out), /api/v1/users and /api/v1/api-keys (admin), /api/v1/audit (admin).</summary>
public static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication");
        auth.MapPost("/login", Login).RequireRateLimiting(AuthServiceCollectionExtensions.LoginRateLimit).AllowAnonymous();
        auth.MapPost("/logout", Logout).RequireAuthorization();
        auth.MapGet("/me", Me).RequireAuthorization();
        auth.MapGet("/antiforgery", Antiforgery).RequireAuthorization();

        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        users.MapGet("/", ListUsers);
        users.MapPost("/", CreateUser);
        users.MapPost("/{userName}/reset-password", ResetPassword);
        users.MapPost("/{userName}/disable", (string userName, UserManager<AppUser> manager, KilowalletDb db, AuditLog audit, HttpContext http) => SetDisabled(userName, true, manager, db, audit, http));
        users.MapPost("/{userName}/enable", (string userName, UserManager<AppUser> manager, KilowalletDb db, AuditLog audit, HttpContext http) => SetDisabled(userName, false, manager, db, audit, http));
        users.MapPost("/{userName}/unlock", Unlock);

        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(Policies.Admin);
        keys.MapGet("/", ListKeys);
        keys.MapPost("/", CreateKey);
        keys.MapDelete("/{id:long}", RevokeKey);

        api.MapGet("/audit", ListAudit).WithTags("Audit").RequireAuthorization(Policies.Admin);
    }

    public sealed record LoginRequest([property: Required] string UserName, [property: Required] string Password);

    public sealed record MeDto(string UserName, string DisplayName, IReadOnlyList<string> Roles, long? TenantId, string Language);

    /// <summary>A user; <see cref="LockedOutUntil"/> is set while too many failed sign-ins keep the user out.</summary>
    public sealed record UserDto(string UserName, string DisplayName, IReadOnlyList<string> Roles, long? TenantId, bool Disabled, bool LockedOut, DateTimeOffset? LockedOutUntil = null);

    public sealed record CreateUserRequest(string UserName, string DisplayName, string Role, string Password, long? TenantId);

    public sealed record ResetPasswordRequest(string NewPassword);

    public sealed record ApiKeyDto(long Id, string Name, string Prefix, string Scopes, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

    public sealed record CreateKeyRequest(string Name, IReadOnlyList<string> Scopes);

    public sealed record CreatedKeyDto(ApiKeyDto Key, string Secret);

    public sealed record AuditDto(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? Details);

    public static async Task<Results<Ok<MeDto>, ProblemHttpResult>> Login(LoginRequest request, SignInManager<AppUser> signIn, UserManager<AppUser> users)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await users.FindByNameAsync(request.UserName ?? string.Empty);
        if (user is null || user.Disabled)
        {
            return Problems.Unauthorized("The user name or password is wrong.");
        }

        var result = await signIn.PasswordSignInAsync(user, request.Password ?? string.Empty, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Problems.Unauthorized("Too many failed attempts: this user is locked for a few minutes.");
        }

        if (!result.Succeeded)
        {
            return Problems.Unauthorized("The user name or password is wrong.");
        }

        return TypedResults.Ok(await ToMe(user, users));
    }

    public static async Task<NoContent> Logout(SignInManager<AppUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeDto>, UnauthorizedHttpResult>> Me(HttpContext http, UserManager<AppUser> users)
    {
        var user = await users.GetUserAsync(http.User);
        return user is null ? TypedResults.Unauthorized() : TypedResults.Ok(await ToMe(user, users));
    }

    /// <summary>The token cookie-signed-in scripts send as X-CSRF-Token on changes.</summary>
    public static Ok<Dictionary<string, string?>> Antiforgery(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return TypedResults.Ok(new Dictionary<string, string?> { ["headerName"] = tokens.HeaderName, ["token"] = tokens.RequestToken });
    }

    /// <summary>Users by name, filtered by role, disabled state, tenant or a search in the user or display name.</summary>
    public static async Task<Ok<Page<UserDto>>> ListUsers(
        UserManager<AppUser> users, KilowalletDb db, string? role, bool? disabled, long? tenantId, string? search, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = users.Users;
        if (!string.IsNullOrWhiteSpace(role))
        {
            var name = role.Trim();
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == name)));
        }

        if (disabled is { } wanted)
        {
            query = query.Where(u => u.Disabled == wanted);
        }

        if (tenantId is { } tenant)
        {
            Domain.TenantId? key = new Domain.TenantId(tenant);
            query = query.Where(u => u.TenantId == key);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(u => u.UserName!.Contains(term) || u.DisplayName.Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var all = await query.OrderBy(u => u.UserName).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        var result = new List<UserDto>();
        foreach (var user in all)
        {
            var lockedOut = await users.IsLockedOutAsync(user);
            result.Add(new UserDto(user.UserName!, user.DisplayName, [.. await users.GetRolesAsync(user)], user.TenantId?.Value, user.Disabled, lockedOut, lockedOut ? user.LockoutEnd : null));
        }

        return TypedResults.Ok(new Page<UserDto>(result, total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Created<UserDto>, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, UserManager<AppUser> users, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["A user name is required."];
        }

        if (!Roles.All.Contains(request.Role))
        {
            errors["role"] = [$"The role must be one of {string.Join(", ", Roles.All)}."];
        }

        if (request.Role == Roles.Tenant && (request.TenantId is not { } tenantId || !await db.Tenants.AnyAsync(t => t.Id == new Domain.TenantId(tenantId))))
        {
            errors["tenantId"] = ["A tenant user needs the id of an existing tenant."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var user = new AppUser
        {
            UserName = request.UserName.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? request.UserName.Trim() : request.DisplayName.Trim(),
            TenantId = request.Role == Roles.Tenant ? new Domain.TenantId(request.TenantId!.Value) : null,
            CreatedAt = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, request.Password ?? string.Empty);
        if (!created.Succeeded)
        {
            // Identity's codes say which field is wrong: user name problems (taken, invalid characters) or the password's.
            return Problems.Validation(created.Errors
                .GroupBy(e => e.Code.Contains("UserName", StringComparison.Ordinal) ? "userName" : "password")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        await users.AddToRoleAsync(user, request.Role);
        audit.Record(db, AuditLog.ActorOf(http.User), "user.created", "user:" + user.UserName, new { request.Role, request.TenantId }, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync();
        return TypedResults.Created($"/api/v1/users/{user.UserName}", new UserDto(user.UserName, user.DisplayName, [request.Role], user.TenantId?.Value, false, false));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> ResetPassword(
        string userName, ResetPasswordRequest request, UserManager<AppUser> users, KilowalletDb db, AuditLog audit, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, request.NewPassword ?? string.Empty);
        if (!result.Succeeded)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["newPassword"] = [.. result.Errors.Select(e => e.Description)] });
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        audit.Record(db, AuditLog.ActorOf(http.User), "user.password-reset", "user:" + userName, null, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFound>> SetDisabled(string userName, bool disabled, UserManager<AppUser> users, KilowalletDb db, AuditLog audit, HttpContext http)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        user.Disabled = disabled;
        await users.UpdateAsync(user);
        await users.UpdateSecurityStampAsync(user);
        audit.Record(db, AuditLog.ActorOf(http.User), disabled ? "user.disabled" : "user.enabled", "user:" + userName, null, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    /// <summary>Ends a lockout after failed sign-ins at once (the password stays as it is).</summary>
    public static async Task<Results<NoContent, NotFound>> Unlock(string userName, UserManager<AppUser> users, KilowalletDb db, AuditLog audit, HttpContext http)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return TypedResults.NotFound();
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        audit.Record(db, AuditLog.ActorOf(http.User), "user.unlocked", "user:" + userName, null, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    /// <summary>API keys, oldest first; revoked=false lists only keys still in use, search matches the name or prefix.</summary>
    public static async Task<Ok<Page<ApiKeyDto>>> ListKeys(KilowalletDb db, bool? revoked, string? search, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = db.ApiKeys.AsNoTracking();
        if (revoked is { } wanted)
        {
            query = wanted ? query.Where(k => k.RevokedAt != null) : query.Where(k => k.RevokedAt == null);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(k => k.Name.Contains(term) || k.Prefix.Contains(term));
        }

        var total = await query.CountAsync(cancellationToken);
        var keys = await query.OrderBy(k => k.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<ApiKeyDto>(keys.ConvertAll(ToDto), total, paging.Offset, paging.Limit));
    }

    public static async Task<Results<Created<CreatedKeyDto>, ProblemHttpResult>> CreateKey(CreateKeyRequest request, KilowalletDb db, ApiKeyService keys, AuditLog audit, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["name"] = ["A name is required."] });
        }

        try
        {
            var (key, secret) = keys.Create(db, request.Name.Trim(), request.Scopes ?? [], AuditLog.ActorOf(http.User));
            audit.Record(db, AuditLog.ActorOf(http.User), "apikey.created", "apikey:" + key.Name, new { key.Scopes }, http.Connection.RemoteIpAddress?.ToString());
            await db.SaveChangesAsync();
            return TypedResults.Created($"/api/v1/api-keys/{key.Id}", new CreatedKeyDto(ToDto(key), secret));
        }
        catch (ArgumentException ex)
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["scopes"] = [ex.Message] });
        }
    }

    public static async Task<Results<NoContent, NotFound>> RevokeKey(long id, KilowalletDb db, AuditLog audit, TimeProvider clock, HttpContext http)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id);
        if (key is null)
        {
            return TypedResults.NotFound();
        }

        key.RevokedAt ??= clock.GetUtcNow();
        audit.Record(db, AuditLog.ActorOf(http.User), "apikey.revoked", "apikey:" + key.Name, null, http.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The audit log, newest first: <paramref name="action"/> is a prefix ("user." for every user change),
    /// <paramref name="actor"/> a user name or "apikey:{name}", <paramref name="from"/> and <paramref name="to"/> an instant range [from, to).
    /// </summary>
    public static async Task<Ok<Page<AuditDto>>> ListAudit(
        KilowalletDb db, string? target, string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to, int? offset, int? limit, CancellationToken cancellationToken)
    {
        var paging = Paging.From(offset, limit);
        var query = Filter(db.AuditLog.AsNoTracking(), target, action, actor, from, to);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Id).Skip(paging.Offset).Take(paging.Limit)
            .Select(a => new AuditDto(a.Id, a.At, a.Actor, a.Action, a.Target, a.Details))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<AuditDto>(items, total, paging.Offset, paging.Limit));
    }

    /// <summary>The audit log's filters, shared by the API and the administration page.</summary>
    public static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> query, string? target, string? action, string? actor, DateTimeOffset? from, DateTimeOffset? to)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!string.IsNullOrWhiteSpace(target))
        {
            var t = target.Trim();
            query = query.Where(a => a.Target == t);
        }

        if (!string.IsNullOrWhiteSpace(action))
        {
            var prefix = action.Trim();
            query = query.Where(a => a.Action.StartsWith(prefix));
        }

        if (!string.IsNullOrWhiteSpace(actor))
        {
            var who = actor.Trim();
            query = query.Where(a => a.Actor == who);
        }

        if (from is { } start)
        {
            query = query.Where(a => a.At >= start);
        }

        if (to is { } end)
        {
            query = query.Where(a => a.At < end);
        }

        return query;
    }

    private static ApiKeyDto ToDto(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Scopes, k.CreatedBy, k.CreatedAt, k.RevokedAt, k.LastUsedAt);

    private static async Task<MeDto> ToMe(AppUser user, UserManager<AppUser> users) =>
        new(user.UserName!, user.DisplayName, [.. await users.GetRolesAsync(user)], user.TenantId?.Value, user.Language == Domain.Language.English ? "en" : "zh-Hans");
}
