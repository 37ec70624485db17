using System.Net;
using System.Text.RegularExpressions;
using Kilowallet.Server.Tests.Infrastructure;
using Kilowallet.Server.Web.Localization;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kilowallet.Server.Tests.Web;

/// <summary>Server-rendered pages over HTTP: sign-in form with CSRF token, language switch, access by role.</summary>
public sealed partial class PageTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private KilowalletApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("sqlite");
        _app = new KilowalletApp(_database);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_sign_in_form_signs_in_with_its_token_and_refuses_without_it()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync("/login", Ct);
        var token = TokenPattern().Match(page).Groups[1].Value;
        Assert.NotEmpty(token);

        using var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = KilowalletApp.AdminPassword });
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/login", forged, Ct)).StatusCode);

        using var wrong = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = "nope", ["__RequestVerificationToken"] = token });
        var wrongResponse = await client.PostAsync("/login", wrong, Ct);
        Assert.Equal(HttpStatusCode.OK, wrongResponse.StatusCode);
        Assert.Contains("The user name or password is wrong.", await wrongResponse.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var right = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = KilowalletApp.AdminPassword, ["__RequestVerificationToken"] = token });
        var response = await client.PostAsync("/login", right, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Empty_fields_get_messages_in_the_chosen_language_and_nothing_happens()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("Accept-Language", "zh-CN,zh;q=0.9");
        var page = await client.GetStringAsync("/login", Ct);
        Assert.Contains("登录", page, StringComparison.Ordinal);
        var token = TokenPattern().Match(page).Groups[1].Value;
        using var empty = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = string.Empty, ["Password"] = string.Empty, ["__RequestVerificationToken"] = token });
        var response = await (await client.PostAsync("/login", empty, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("必填。", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_pages_send_anonymous_people_to_sign_in()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Static_files_are_served_from_the_build_output()
    {
        using var client = _app.CreateClient();
        var css = await client.GetAsync("/css/site.css", Ct);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("--valley", await css.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/js/app.js", Ct)).StatusCode);
    }

    [Fact]
    public async Task Refusals_come_in_the_callers_language()
    {
        using var client = await _app.CreateUserClientAsync(Kilowallet.Server.Auth.Roles.Cashier);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var chinese = await client.GetAsync("/api/v1/cashier/search?q=", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, chinese.StatusCode);
        Assert.Contains("请输入铺位号", await chinese.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        client.DefaultRequestHeaders.AcceptLanguage.Clear();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var english = await client.GetAsync("/api/v1/cashier/search?q=", Ct);
        Assert.Contains("Type a shop number", await english.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_interface_text_exists_in_both_languages() =>
        Assert.All(Text.Keys, key => Assert.True(Text.HasBoth(key), key));

    [Fact]
    public void Every_alarm_type_has_a_name_on_screen() =>
        Assert.All(Enum.GetValues<Kilowallet.Domain.Safety.AlarmType>(), type => Assert.True(Text.HasBoth("Alarm-" + Kilowallet.Domain.Safety.AlarmCatalog.Code(type)), type.ToString()));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
