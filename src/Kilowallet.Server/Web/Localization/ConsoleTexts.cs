namespace Kilowallet.Server.Web.Localization;

/// <summary>Words of the operator console and the cashier screen.</summary>
public static class ConsoleTexts
{
    public static IEnumerable<(string Key, string En, string Zh)> All { get; } =
    [
        ("Overview", "Overview", "总览"),
        ("Meters", "Meters", "电表"),
        ("Accounts", "Accounts", "账户"),
        ("Cashier", "Cashier", "收银"),
        ("Tariffs", "Tariffs", "电价"),
        ("Alarms", "Alarms", "告警"),
        ("Reports", "Reports", "报表"),
        ("Commissioning", "Commissioning", "调试"),
        ("Administration", "Administration", "系统管理"),
        ("SearchShops", "Shop number, name, phone or meter", "铺位号、名称、电话或电表"),
        ("StateOk", "OK", "正常"),
        ("StateLow", "Low credit", "余额不足"),
        ("StateTripped", "Tripped", "已断电"),
        ("StateOffline", "Offline", "离线"),
        ("StateAlarm", "Alarm", "告警"),
        ("StateProtected", "Protected", "保电"),
        ("StateNoData", "No reading yet", "暂无读数"),
        ("Total", "Total", "合计"),
        ("MallOverview", "Mall overview", "商场总览"),
        ("Site", "Site", "项目"),
        ("AllFloors", "All floors", "全部楼层"),
        ("AllFormats", "All formats", "全部业态"),
        ("AllStates", "All states", "全部状态"),
        ("Filter", "Filter", "筛选"),
        ("LiveUpdates", "Live", "实时"),
        ("PublicArea", "Public area", "公共区域"),
        ("FormatSupermarket", "Supermarket", "超市"),
        ("FormatRestaurant", "Restaurant", "餐饮"),
        ("FormatApparel", "Apparel", "服装"),
        ("FormatElectronics", "Electronics", "数码"),
        ("FormatCinema", "Cinema", "影院"),
        ("FormatServices", "Services", "服务"),
        ("FormatPublicArea", "Public area", "公共区域"),
        ("FormatOther", "Other", "其他"),
        ("Power", "Power", "功率"),
        ("Available", "Available", "可用余额"),
    ];
}
