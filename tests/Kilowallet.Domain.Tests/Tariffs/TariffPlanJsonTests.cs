using Kilowallet.Domain.Tariffs;

namespace Kilowallet.Domain.Tests.Tariffs;

public sealed class TariffPlanJsonTests
{
    public static TheoryData<string> ExampleFiles() => [.. ExamplePlans.All().Keys];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void An_example_plan_round_trips_through_json(string file)
    {
        var plan = ExamplePlans.All()[file];
        var json = TariffPlanJson.Serialize(plan);

        var parsed = TariffPlanJson.Parse(json);

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Errors));
        Assert.Equal(json, TariffPlanJson.Serialize(parsed.Value!));
        Assert.Equal(plan.Versions[0].UnitPrice(TariffBand.Flat, 0), parsed.Value!.Versions[0].UnitPrice(TariffBand.Flat, 0));
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void The_shipped_example_file_is_the_example_plan(string file)
    {
        var path = Path.Combine(RepositoryRoot(), "src", "Kilowallet.Domain", "Tariffs", "Examples", file);

        var parsed = TariffPlanJson.Parse(File.ReadAllText(path));

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Errors));
        Assert.Equal(TariffPlanJson.Serialize(ExamplePlans.All()[file]), TariffPlanJson.Serialize(parsed.Value!));
    }

    [Fact]
    public void The_complete_example_in_the_documentation_parses_and_its_first_version_is_the_shipped_example()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "tariffs.md"));
        var start = markdown.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];

        var parsed = TariffPlanJson.Parse(json);

        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Errors));
        var example = ExamplePlans.CommercialTimeOfUse();
        Assert.Equal(TariffPlanJson.Serialize(example), TariffPlanJson.Serialize(parsed.Value! with { Versions = [parsed.Value.Versions[0]] }));
        Assert.Equal((1.22m + 0.05m + 0.02m) * 1.055m, parsed.Value.Versions[1].UnitPrice(TariffBand.Peak, 1));
    }

    [Fact]
    public void A_version_round_trips_on_its_own_as_the_server_stores_it()
    {
        var version = ExamplePlans.Tiered().Versions[0];

        var parsed = TariffPlanJson.ParseVersion(TariffPlanJson.SerializeVersion(version));

        Assert.True(parsed.Succeeded);
        Assert.Equal(TariffPlanJson.SerializeVersion(version), TariffPlanJson.SerializeVersion(parsed.Value!));
        Assert.Equal(version.Tiers, parsed.Value!.Tiers);
        Assert.Equal(version.Markup, parsed.Value.Markup);
    }

    [Fact]
    public void Decimals_are_read_exactly_and_written_as_given()
    {
        var json = TariffPlanJson.Serialize(ExamplePlans.CommercialTimeOfUse());

        Assert.Contains("\"peak\": 1.20", json, StringComparison.Ordinal);
        Assert.Contains("\"end\": \"07:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"effectiveFrom\": \"2026-01-01\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_end_of_day_is_written_24_00()
    {
        Assert.Contains("\"end\": \"24:00\"", TariffPlanJson.Serialize(ExamplePlans.Flat()), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_band_is_reported_with_its_line_and_field()
    {
        var json = TariffPlanJson.Serialize(ExamplePlans.Flat()).Replace("\"band\": \"flat\"", "\"band\": \"superpeak\"", StringComparison.Ordinal);

        var error = Assert.Single(TariffPlanJson.Parse(json).Errors);

        Assert.Equal(LineOf(json, "superpeak"), error.Line);
        Assert.Equal("versions[0].seasons[0].weekday[0]", error.Path);
        Assert.Equal("'superpeak' is not a band; the bands are sharp, peak, flat and valley.", error.Message);
    }

    [Fact]
    public void A_validation_error_points_at_the_line_of_its_field()
    {
        var json = TariffPlanJson.Serialize(ExamplePlans.CommercialTimeOfUse()).Replace("\"valley\": 0.35", "\"valley\": -0.35", StringComparison.Ordinal);

        var error = Assert.Single(TariffPlanJson.Parse(json).Errors);

        Assert.Equal(LineOf(json, "-0.35"), error.Line);
        Assert.Equal("line " + error.Line + ", versions[0].prices.valley: A price per kWh cannot be negative (-0.35).", error.ToString());
    }

    [Fact]
    public void An_unknown_field_a_missing_field_and_bad_syntax_are_reported()
    {
        var unknown = TariffPlanJson.Parse("""{ "code": "X", "name": "X", "currency": "CNY", "versions": [], "colour": "red" }""");
        var missing = TariffPlanJson.Parse("""{ "code": "X", "name": "X", "versions": [] }""");
        var syntax = TariffPlanJson.Parse("{\n  \"code\": \"X\",\n  oops\n}");

        Assert.Equal("There is no field 'colour' here.", Assert.Single(unknown.Errors).Message);
        Assert.Equal("Missing required field(s): currency.", Assert.Single(missing.Errors).Message);
        Assert.Equal(3, Assert.Single(syntax.Errors).Line);
    }

    [Fact]
    public void A_bad_time_is_reported()
    {
        var json = TariffPlanJson.Serialize(ExamplePlans.Flat()).Replace("\"start\": \"00:00\"", "\"start\": \"7am\"", StringComparison.Ordinal);

        Assert.Equal("The period's start must be a time of day written \"HH:mm\" (00:00–24:00).", Assert.Single(TariffPlanJson.Parse(json).Errors).Message);
    }

    [Fact]
    public void Comments_are_allowed_in_hand_written_files()
    {
        var json = "// our tariff\n" + TariffPlanJson.Serialize(ExamplePlans.Flat());

        Assert.True(TariffPlanJson.Parse(json).Succeeded);
    }

    private static int LineOf(string text, string fragment) =>
        text[..text.IndexOf(fragment, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Kilowallet.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Kilowallet.slnx not found above the test binaries.");
    }
}
