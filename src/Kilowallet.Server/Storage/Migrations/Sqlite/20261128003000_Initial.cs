using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kilowallet.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "alarms",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    type = table.Column<int>(type: "INTEGER", nullable: false),
                    severity = table.Column<int>(type: "INTEGER", nullable: false),
                    source_kind = table.Column<int>(type: "INTEGER", nullable: false),
                    source_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    raised_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    occurrences = table.Column<int>(type: "INTEGER", nullable: false),
                    acknowledged_at = table.Column<long>(type: "INTEGER", nullable: true),
                    acknowledged_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    cleared_at = table.Column<long>(type: "INTEGER", nullable: true),
                    cleared_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alarms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    prefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    scopes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_used_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    display_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: true),
                    language = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    security_stamp = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    phone_number = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    lockout_end = table.Column<long>(type: "INTEGER", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    access_failed_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    target = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    details = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    remote_address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "cashier_shifts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    cashier = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    opened_at = table.Column<long>(type: "INTEGER", nullable: false),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cashier_shifts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "consumer_cursors",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consumer_cursors", x => x.consumer);
                });

            migrationBuilder.CreateTable(
                name: "demo_pay_transactions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    order_no = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    transaction_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_demo_pay_transactions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ledger_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    idempotency_key = table.Column<string>(type: "TEXT", maxLength: 240, nullable: false),
                    request_fingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    wallet_amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    operator_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    reverses_entry_id = table.Column<long>(type: "INTEGER", nullable: true),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: true),
                    band = table.Column<int>(type: "INTEGER", nullable: true),
                    hour_start = table.Column<long>(type: "INTEGER", nullable: true),
                    shift_id = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_entries_ledger_entries_reverses_entry_id",
                        column: x => x.reverses_entry_id,
                        principalTable: "ledger_entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "payment_callbacks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    valid = table.Column<bool>(type: "INTEGER", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    order_no = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    body = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    remote_address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_callbacks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sites", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_subscriptions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    url = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    secret = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    event_kinds = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    role_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_role_claims_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "AspNetRoles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    claim_type = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    claim_value = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_asp_net_user_claims_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    provider_key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    provider_display_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_asp_net_user_logins_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    role_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "AspNetRoles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_asp_net_user_roles_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    login_provider = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_asp_net_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_asp_net_user_tokens_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "areas",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    floor = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_areas", x => x.id);
                    table.ForeignKey(
                        name: "fk_areas_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "gateways",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    transport = table.Column<int>(type: "INTEGER", nullable: false),
                    host = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    port = table.Column<int>(type: "INTEGER", nullable: true),
                    serial_device = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    baud_rate = table.Column<int>(type: "INTEGER", nullable: true),
                    parity = table.Column<string>(type: "TEXT", maxLength: 1, nullable: true),
                    timeout_ms = table.Column<int>(type: "INTEGER", nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_gateways", x => x.id);
                    table.ForeignKey(
                        name: "fk_gateways_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "site_control_policies",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    daily_windows = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    all_day_days = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    protect_holidays = table.Column<bool>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_control_policies", x => x.site_id);
                    table.ForeignKey(
                        name: "fk_site_control_policies_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "site_holidays",
                columns: table => new
                {
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    working_day = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_site_holidays", x => new { x.site_id, x.date });
                    table.ForeignKey(
                        name: "fk_site_holidays_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "tariff_plans",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tariff_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_tariff_plans_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "tenants",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    contact_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    preferred_language = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenants", x => x.id);
                    table.ForeignKey(
                        name: "fk_tenants_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "shops",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    area_id = table.Column<long>(type: "INTEGER", nullable: false),
                    unit_number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    floor_area_m2 = table.Column<decimal>(type: "TEXT", precision: 12, scale: 2, nullable: false),
                    business_format = table.Column<int>(type: "INTEGER", nullable: false),
                    power_limit_kw = table.Column<decimal>(type: "TEXT", precision: 12, scale: 3, nullable: true),
                    high_power_appliances_allowed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_shops", x => x.id);
                    table.ForeignKey(
                        name: "fk_shops_areas_area_id",
                        column: x => x.area_id,
                        principalTable: "areas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_shops_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "tariff_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    plan_id = table.Column<long>(type: "INTEGER", nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    effective_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    definition = table.Column<string>(type: "TEXT", maxLength: 200000, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tariff_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_tariff_versions_tariff_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "tariff_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "accounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    warning1_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    warning2_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    trip_level_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    reconnect_level_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    opened_at = table.Column<long>(type: "INTEGER", nullable: false),
                    closed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    accrued_pico = table.Column<long>(type: "INTEGER", nullable: false),
                    carry_pico = table.Column<long>(type: "INTEGER", nullable: false),
                    warning1_announced = table.Column<bool>(type: "INTEGER", nullable: false),
                    warning2_announced = table.Column<bool>(type: "INTEGER", nullable: false),
                    exhausted = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_accounts", x => x.id);
                    table.ForeignKey(
                        name: "fk_accounts_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_accounts_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notification_outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    dedup_key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    event_key = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    recipient_kind = table.Column<int>(type: "INTEGER", nullable: false),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: true),
                    user_id = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    subscription_id = table.Column<long>(type: "INTEGER", nullable: true),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    channel = table.Column<int>(type: "INTEGER", nullable: false),
                    address = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    language = table.Column<int>(type: "INTEGER", nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    body = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    not_before = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    claimed_until = table.Column<long>(type: "INTEGER", nullable: true),
                    claim_token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    read_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_outbox", x => x.id);
                    table.ForeignKey(
                        name: "fk_notification_outbox_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "notification_settings",
                columns: table => new
                {
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sms_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    email_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    in_app_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    quiet_start_minute = table.Column<int>(type: "INTEGER", nullable: true),
                    quiet_end_minute = table.Column<int>(type: "INTEGER", nullable: true),
                    language = table.Column<int>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_settings", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_notification_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "sign_in_codes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    destination = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    tenant_id = table.Column<long>(type: "INTEGER", nullable: false),
                    code_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    salt = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    failed_attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    used_at = table.Column<long>(type: "INTEGER", nullable: true),
                    requested_from = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sign_in_codes", x => x.id);
                    table.ForeignKey(
                        name: "fk_sign_in_codes_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "balance_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    account_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    available_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    cause = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_balance_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_balance_events_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ledger_accounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    kind = table.Column<int>(type: "INTEGER", nullable: false),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    balance_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_accounts", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_accounts_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meters",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    site_id = table.Column<long>(type: "INTEGER", nullable: false),
                    serial = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    profile_name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    gateway_id = table.Column<long>(type: "INTEGER", nullable: true),
                    unit_id = table.Column<int>(type: "INTEGER", nullable: true),
                    dlt645address = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    mqtt_client_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ct_ratio = table.Column<decimal>(type: "TEXT", precision: 12, scale: 4, nullable: false),
                    pt_ratio = table.Column<decimal>(type: "TEXT", precision: 12, scale: 4, nullable: false),
                    phase_count = table.Column<int>(type: "INTEGER", nullable: false),
                    shop_id = table.Column<long>(type: "INTEGER", nullable: true),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    purpose = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    feeds_own_gateway = table.Column<bool>(type: "INTEGER", nullable: false),
                    installed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meters", x => x.id);
                    table.ForeignKey(
                        name: "fk_meters_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_meters_gateways_gateway_id",
                        column: x => x.gateway_id,
                        principalTable: "gateways",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_meters_shops_shop_id",
                        column: x => x.shop_id,
                        principalTable: "shops",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_meters_sites_site_id",
                        column: x => x.site_id,
                        principalTable: "sites",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "payment_orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    order_no = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    account_id = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    settled_at = table.Column<long>(type: "INTEGER", nullable: true),
                    provider_transaction_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    entry_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    return_path = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_orders", x => x.id);
                    table.ForeignKey(
                        name: "fk_payment_orders_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ledger_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    entry_id = table.Column<long>(type: "INTEGER", nullable: false),
                    ledger_account_id = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_minor = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_lines_ledger_accounts_ledger_account_id",
                        column: x => x.ledger_account_id,
                        principalTable: "ledger_accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_ledger_lines_ledger_entries_entry_id",
                        column: x => x.entry_id,
                        principalTable: "ledger_entries",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "keep_power_exemptions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: true),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    granted_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    valid_from = table.Column<long>(type: "INTEGER", nullable: false),
                    valid_until = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    revoke_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_keep_power_exemptions", x => x.id);
                    table.ForeignKey(
                        name: "fk_keep_power_exemptions_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_keep_power_exemptions_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter_assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    previous_account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    final_reading_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    final_reading_source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_assignments", x => x.id);
                    table.ForeignKey(
                        name: "fk_meter_assignments_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter_control",
                columns: table => new
                {
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    desired = table.Column<int>(type: "INTEGER", nullable: false),
                    opened_by = table.Column<int>(type: "INTEGER", nullable: true),
                    commanded = table.Column<int>(type: "INTEGER", nullable: true),
                    reported = table.Column<int>(type: "INTEGER", nullable: false),
                    reported_at = table.Column<long>(type: "INTEGER", nullable: true),
                    operator_lock = table.Column<int>(type: "INTEGER", nullable: false),
                    lock_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    locked_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    locked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    safety_hold = table.Column<int>(type: "INTEGER", nullable: false),
                    safety_hold_since = table.Column<long>(type: "INTEGER", nullable: true),
                    last_command_at = table.Column<long>(type: "INTEGER", nullable: true),
                    next_decision_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_decision = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    last_decision_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_control", x => x.meter_id);
                    table.ForeignKey(
                        name: "fk_meter_control_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "meter_rating_states",
                columns: table => new
                {
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    last_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_scaled_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    last_sharp_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    last_peak_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    last_flat_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    last_valley_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    month_to_date_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_meter_rating_states", x => x.meter_id);
                    table.ForeignKey(
                        name: "fk_meter_rating_states_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "quarantined_intervals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    from_at = table.Column<long>(type: "INTEGER", nullable: false),
                    to_at = table.Column<long>(type: "INTEGER", nullable: false),
                    from_scaled_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    to_scaled_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<int>(type: "INTEGER", nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    raised_at = table.Column<long>(type: "INTEGER", nullable: false),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolved_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    resolution = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quarantined_intervals", x => x.id);
                    table.ForeignKey(
                        name: "fk_quarantined_intervals_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "readings",
                columns: table => new
                {
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    energy_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    sharp_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    peak_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    flat_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    valley_wh = table.Column<long>(type: "INTEGER", nullable: true),
                    voltage_a = table.Column<double>(type: "REAL", nullable: true),
                    voltage_b = table.Column<double>(type: "REAL", nullable: true),
                    voltage_c = table.Column<double>(type: "REAL", nullable: true),
                    current_a = table.Column<double>(type: "REAL", nullable: true),
                    current_b = table.Column<double>(type: "REAL", nullable: true),
                    current_c = table.Column<double>(type: "REAL", nullable: true),
                    power_kw = table.Column<double>(type: "REAL", nullable: true),
                    power_factor = table.Column<double>(type: "REAL", nullable: true),
                    frequency_hz = table.Column<double>(type: "REAL", nullable: true),
                    relay = table.Column<int>(type: "INTEGER", nullable: false),
                    flags = table.Column<int>(type: "INTEGER", nullable: false),
                    source = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_readings", x => new { x.meter_id, x.at });
                    table.ForeignKey(
                        name: "fk_readings_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "rejected_readings",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    values = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rejected_readings", x => x.id);
                    table.ForeignKey(
                        name: "fk_rejected_readings_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "relay_commands",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    target = table.Column<int>(type: "INTEGER", nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    cause = table.Column<int>(type: "INTEGER", nullable: false),
                    requested_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    queued_at = table.Column<long>(type: "INTEGER", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    acknowledged_at = table.Column<long>(type: "INTEGER", nullable: true),
                    verified_at = table.Column<long>(type: "INTEGER", nullable: true),
                    failed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    latency_ms = table.Column<long>(type: "INTEGER", nullable: true),
                    read_back = table.Column<int>(type: "INTEGER", nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_relay_commands", x => x.id);
                    table.ForeignKey(
                        name: "fk_relay_commands_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "tariff_assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    plan_id = table.Column<long>(type: "INTEGER", nullable: false),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    meter_id = table.Column<long>(type: "INTEGER", nullable: true),
                    from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    until = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tariff_assignments", x => x.id);
                    table.CheckConstraint("ck_tariff_assignments_target", "(account_id IS NULL) <> (meter_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_tariff_assignments_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_tariff_assignments_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_tariff_assignments_tariff_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "tariff_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "usage_hourly",
                columns: table => new
                {
                    meter_id = table.Column<long>(type: "INTEGER", nullable: false),
                    hour_start = table.Column<long>(type: "INTEGER", nullable: false),
                    band = table.Column<int>(type: "INTEGER", nullable: false),
                    account_key = table.Column<long>(type: "INTEGER", nullable: false),
                    energy_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    amount_pico = table.Column<long>(type: "INTEGER", nullable: false),
                    estimated_wh = table.Column<long>(type: "INTEGER", nullable: false),
                    posted_pico = table.Column<long>(type: "INTEGER", nullable: false),
                    parts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_hourly", x => new { x.meter_id, x.hour_start, x.band, x.account_key });
                    table.ForeignKey(
                        name: "fk_usage_hourly_meters_meter_id",
                        column: x => x.meter_id,
                        principalTable: "meters",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_accounts_site_id_number",
                table: "accounts",
                columns: new[] { "site_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_accounts_tenant_id",
                table: "accounts",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_alarms_cleared_at_severity",
                table: "alarms",
                columns: new[] { "cleared_at", "severity" });

            migrationBuilder.CreateIndex(
                name: "ix_alarms_source_kind_source_id_raised_at",
                table: "alarms",
                columns: new[] { "source_kind", "source_id", "raised_at" });

            migrationBuilder.CreateIndex(
                name: "ux_alarms_open_key",
                table: "alarms",
                column: "key",
                unique: true,
                filter: "cleared_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_prefix",
                table: "api_keys",
                column: "prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_areas_site_id_code",
                table: "areas",
                columns: new[] { "site_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_role_claims_role_id",
                table: "AspNetRoleClaims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_claims_user_id",
                table: "AspNetUserClaims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_logins_user_id",
                table: "AspNetUserLogins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_user_roles_role_id",
                table: "AspNetUserRoles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_at",
                table: "audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_log_target_at",
                table: "audit_log",
                columns: new[] { "target", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_balance_events_account_id_id",
                table: "balance_events",
                columns: new[] { "account_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_cashier_shifts_cashier_closed_at",
                table: "cashier_shifts",
                columns: new[] { "cashier", "closed_at" });

            migrationBuilder.CreateIndex(
                name: "ix_demo_pay_transactions_order_no",
                table: "demo_pay_transactions",
                column: "order_no",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_gateways_site_id_name",
                table: "gateways",
                columns: new[] { "site_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_keep_power_exemptions_account_id_revoked_at",
                table: "keep_power_exemptions",
                columns: new[] { "account_id", "revoked_at" });

            migrationBuilder.CreateIndex(
                name: "ix_keep_power_exemptions_meter_id_revoked_at",
                table: "keep_power_exemptions",
                columns: new[] { "meter_id", "revoked_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_account_id",
                table: "ledger_accounts",
                column: "account_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_accounts_key",
                table: "ledger_accounts",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_account_id_id",
                table: "ledger_entries",
                columns: new[] { "account_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_at",
                table: "ledger_entries",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_idempotency_key",
                table: "ledger_entries",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_reverses_entry_id",
                table: "ledger_entries",
                column: "reverses_entry_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_entries_shift_id_id",
                table: "ledger_entries",
                columns: new[] { "shift_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_entry_id",
                table: "ledger_lines",
                column: "entry_id");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_ledger_account_id_entry_id",
                table: "ledger_lines",
                columns: new[] { "ledger_account_id", "entry_id" });

            migrationBuilder.CreateIndex(
                name: "ix_meter_assignments_account_id",
                table: "meter_assignments",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_meter_assignments_meter_id_at",
                table: "meter_assignments",
                columns: new[] { "meter_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_meters_account_id",
                table: "meters",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_meters_gateway_id_unit_id",
                table: "meters",
                columns: new[] { "gateway_id", "unit_id" });

            migrationBuilder.CreateIndex(
                name: "ix_meters_serial",
                table: "meters",
                column: "serial",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_meters_shop_id",
                table: "meters",
                column: "shop_id");

            migrationBuilder.CreateIndex(
                name: "ix_meters_site_id",
                table: "meters",
                column: "site_id");

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_claim_token",
                table: "notification_outbox",
                column: "claim_token");

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_dedup_key",
                table: "notification_outbox",
                column: "dedup_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_status_next_attempt_at",
                table: "notification_outbox",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_tenant_id_channel_id",
                table: "notification_outbox",
                columns: new[] { "tenant_id", "channel", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_notification_outbox_user_id_channel_id",
                table: "notification_outbox",
                columns: new[] { "user_id", "channel", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_payment_callbacks_received_at",
                table: "payment_callbacks",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_account_id_id",
                table: "payment_orders",
                columns: new[] { "account_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_order_no",
                table: "payment_orders",
                column: "order_no",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_provider_provider_transaction_id",
                table: "payment_orders",
                columns: new[] { "provider", "provider_transaction_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_status_created_at",
                table: "payment_orders",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_quarantined_intervals_meter_id_resolved_at",
                table: "quarantined_intervals",
                columns: new[] { "meter_id", "resolved_at" });

            migrationBuilder.CreateIndex(
                name: "ix_rejected_readings_meter_id_at",
                table: "rejected_readings",
                columns: new[] { "meter_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_relay_commands_meter_id_sequence",
                table: "relay_commands",
                columns: new[] { "meter_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_relay_commands_status_meter_id",
                table: "relay_commands",
                columns: new[] { "status", "meter_id" });

            migrationBuilder.CreateIndex(
                name: "ix_shops_area_id",
                table: "shops",
                column: "area_id");

            migrationBuilder.CreateIndex(
                name: "ix_shops_site_id_unit_number",
                table: "shops",
                columns: new[] { "site_id", "unit_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_codes_destination_created_at",
                table: "sign_in_codes",
                columns: new[] { "destination", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sign_in_codes_tenant_id",
                table: "sign_in_codes",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_sites_code",
                table: "sites",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tariff_assignments_account_id_from",
                table: "tariff_assignments",
                columns: new[] { "account_id", "from" });

            migrationBuilder.CreateIndex(
                name: "ix_tariff_assignments_meter_id_from",
                table: "tariff_assignments",
                columns: new[] { "meter_id", "from" });

            migrationBuilder.CreateIndex(
                name: "ix_tariff_assignments_plan_id",
                table: "tariff_assignments",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_tariff_plans_site_id_code",
                table: "tariff_plans",
                columns: new[] { "site_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tariff_versions_plan_id_number",
                table: "tariff_versions",
                columns: new[] { "plan_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tenants_phone",
                table: "tenants",
                column: "phone");

            migrationBuilder.CreateIndex(
                name: "ix_tenants_site_id_code",
                table: "tenants",
                columns: new[] { "site_id", "code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_usage_hourly_account_key_hour_start",
                table: "usage_hourly",
                columns: new[] { "account_key", "hour_start" });

            migrationBuilder.CreateIndex(
                name: "ix_usage_hourly_hour_start",
                table: "usage_hourly",
                column: "hour_start");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alarms");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "balance_events");

            migrationBuilder.DropTable(
                name: "cashier_shifts");

            migrationBuilder.DropTable(
                name: "consumer_cursors");

            migrationBuilder.DropTable(
                name: "demo_pay_transactions");

            migrationBuilder.DropTable(
                name: "keep_power_exemptions");

            migrationBuilder.DropTable(
                name: "ledger_lines");

            migrationBuilder.DropTable(
                name: "meter_assignments");

            migrationBuilder.DropTable(
                name: "meter_control");

            migrationBuilder.DropTable(
                name: "meter_rating_states");

            migrationBuilder.DropTable(
                name: "notification_outbox");

            migrationBuilder.DropTable(
                name: "notification_settings");

            migrationBuilder.DropTable(
                name: "payment_callbacks");

            migrationBuilder.DropTable(
                name: "payment_orders");

            migrationBuilder.DropTable(
                name: "quarantined_intervals");

            migrationBuilder.DropTable(
                name: "readings");

            migrationBuilder.DropTable(
                name: "rejected_readings");

            migrationBuilder.DropTable(
                name: "relay_commands");

            migrationBuilder.DropTable(
                name: "sign_in_codes");

            migrationBuilder.DropTable(
                name: "site_control_policies");

            migrationBuilder.DropTable(
                name: "site_holidays");

            migrationBuilder.DropTable(
                name: "tariff_assignments");

            migrationBuilder.DropTable(
                name: "tariff_versions");

            migrationBuilder.DropTable(
                name: "usage_hourly");

            migrationBuilder.DropTable(
                name: "webhook_subscriptions");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "ledger_accounts");

            migrationBuilder.DropTable(
                name: "ledger_entries");

            migrationBuilder.DropTable(
                name: "tariff_plans");

            migrationBuilder.DropTable(
                name: "meters");

            migrationBuilder.DropTable(
                name: "accounts");

            migrationBuilder.DropTable(
                name: "gateways");

            migrationBuilder.DropTable(
                name: "shops");

            migrationBuilder.DropTable(
                name: "tenants");

            migrationBuilder.DropTable(
                name: "areas");

            migrationBuilder.DropTable(
                name: "sites");
        }
    }
}
