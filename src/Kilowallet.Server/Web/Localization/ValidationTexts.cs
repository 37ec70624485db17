namespace Kilowallet.Server.Web.Localization;

/// <summary>
/// The API's refusal messages in Chinese, keyed by their English text: problem details carry them in
/// the caller's language (the kw.lang cookie or Accept-Language), so a form shows its field messages
/// in the user's language. A message not listed here stays in English.
/// </summary>
public static class ValidationTexts
{
    public static IEnumerable<(string Key, string En, string Zh)> All { get; } = Of(
    [
        ("The request is not valid.", "请求无效。"),
        ("The operation was refused; nothing was written.", "操作被拒绝，未写入任何数据。"),
        ("A reason is required.", "请填写原因。"),
        ("The amount must be more than zero.", "金额必须大于零。"),
        ("An adjustment needs a non-zero amount.", "调账金额不能为零。"),
        ("A transfer needs two different accounts.", "转账需要两个不同的账户。"),
        ("Credit moves only between accounts of the same tenant.", "余额只能在同一租户的账户之间转移。"),
        ("Meters still bill to this account: move them to another account or unassign them first.", "仍有电表绑定此账户：请先转移或解绑电表。"),
        ("Say how a remaining credit is paid back (cash, bank, …), or forfeit it.", "请选择余额退还方式（现金、银行等），或放弃余额。"),
        ("Say how the cause was dealt with.", "请说明原因如何处理。"),
        ("Say why the meter changes account (1–500 characters).", "请说明电表更换账户的原因（1–500 字）。"),
        ("A register reading is 0 or more, in kWh with at most 3 decimals.", "读数须不小于 0，单位 kWh，最多 3 位小数。"),
        ("The meter cannot be read now (offline, or not polled over a gateway); type its final reading (kWh) from the display.", "电表当前无法抄读（离线或未经网关采集），请按表盘输入最终读数（kWh）。"),
        ("The account must be open and at the meter's site.", "账户必须处于开户状态且与电表属于同一项目。"),
        ("Only a tenant meter bills to an account (this one is a public-area or master meter).", "只有商户电表可以绑定账户（此表为公共区域表或总表）。"),
        ("The payout channel must be a short code such as cash, bank or wechat.", "退款方式须为简短代码，如 cash、bank 或 wechat。"),
        ("The receipt number has characters that are not allowed.", "收据号包含不允许的字符。"),
        ("Only the cashier who took this top-up (or an operator) can reverse it.", "只有收取该笔充值的收银员（或运营人员）可以冲正。"),
        ("The shift this top-up was taken in has closed; a correction now needs an adjustment by an operator.", "该笔充值所在班次已交班，更正需由运营人员调账。"),
        ("Only an operator can reverse an online top-up.", "只有运营人员可以冲正线上充值。"),
        ("Type a shop number, a name, a phone number, a meter serial or an account number.", "请输入铺位号、名称、电话、电表号或账号。"),
        ("There is no such tenant.", "没有该租户。"),
        ("Money-moving requests need an Idempotency-Key header, so a retry never moves money twice.", "涉及资金的请求需要 Idempotency-Key 请求头，以免重试时重复记账。"),
    ]);

    private static List<(string Key, string En, string Zh)> Of(IEnumerable<(string En, string Zh)> pairs) =>
        pairs.Select(p => (p.En, p.En, p.Zh)).ToList();
}
