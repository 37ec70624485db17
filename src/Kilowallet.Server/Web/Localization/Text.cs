using System.Collections.Frozen;
using Kilowallet.Domain;

namespace Kilowallet.Server.Web.Localization;

/// <summary>
/// The user interface's words in English and Simplified Chinese. A page writes <c>@T["Overview"]</c>;
/// a missing key shows itself in brackets so it is noticed, and a test checks every key has both languages.
/// </summary>
public sealed class Text
{
    private static readonly FrozenDictionary<string, (string En, string Zh)> Entries = new Dictionary<string, (string En, string Zh)>(StringComparer.Ordinal)
    {
        ["AppName"] = ("Kilowallet", "千瓦钱包"),
        ["Tagline"] = ("Prepaid electricity for shopping malls", "商场预付费电能管理"),
        ["SignIn"] = ("Sign in", "登录"),
        ["SignOut"] = ("Sign out", "退出"),
        ["UserName"] = ("User name", "用户名"),
        ["Password"] = ("Password", "密码"),
        ["WrongPassword"] = ("The user name or password is wrong.", "用户名或密码错误。"),
        ["LockedOut"] = ("Too many failed attempts: this user is locked for a few minutes.", "失败次数过多，该用户已被锁定几分钟。"),
        ["Required"] = ("Required.", "必填。"),
        ["Denied"] = ("You do not have access to this page.", "您无权访问此页面。"),
        ["Language"] = ("Language", "语言"),
        ["Overview"] = ("Overview", "总览"),
        ["Meters"] = ("Meters", "电表"),
        ["Accounts"] = ("Accounts", "账户"),
        ["Cashier"] = ("Cashier", "收银"),
        ["Tariffs"] = ("Tariffs", "电价"),
        ["Alarms"] = ("Alarms", "告警"),
        ["Reports"] = ("Reports", "报表"),
        ["Commissioning"] = ("Commissioning", "调试"),
        ["Administration"] = ("Administration", "系统管理"),
        ["Floor"] = ("Floor", "楼层"),
        ["Shop"] = ("Shop", "商铺"),
        ["Shops"] = ("Shops", "商铺"),
        ["Search"] = ("Search", "搜索"),
        ["SearchShops"] = ("Shop number, name, phone or meter", "铺位号、名称、电话或电表"),
        ["All"] = ("All", "全部"),
        ["StateOk"] = ("OK", "正常"),
        ["StateLow"] = ("Low credit", "余额不足"),
        ["StateTripped"] = ("Tripped", "已断电"),
        ["StateOffline"] = ("Offline", "离线"),
        ["StateAlarm"] = ("Alarm", "告警"),
        ["StateProtected"] = ("Protected", "保电"),
        ["Balance"] = ("Balance", "余额"),
        ["NoData"] = ("No data yet.", "暂无数据。"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public Language Language { get; init; } = UiLanguage.Current;

    public static IEnumerable<string> Keys => Entries.Keys;

    public string this[string key] =>
        Entries.TryGetValue(key, out var entry) ? (Language == Language.SimplifiedChinese ? entry.Zh : entry.En) : $"[{key}]";

    public static bool HasBoth(string key) =>
        Entries.TryGetValue(key, out var entry) && entry.En.Length > 0 && entry.Zh.Length > 0;
}
