using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Kilowallet.Domain.Tariffs;

/// <summary>
/// The plan file format (docs/tariffs.md): the JSON form of <see cref="TariffPlan"/> and
/// <see cref="TariffVersion"/>, camelCase, decimals as JSON numbers (read exactly), dates "yyyy-MM-dd",
/// times "HH:mm". The server stores a plan version as exactly this JSON; the rate command reads plan
/// files with it. Parsing validates, and every error names its line and field.
/// </summary>
public static partial class TariffPlanJson
{
    private static readonly JsonSerializerOptions Json = CreateOptions();

    /// <summary>The options (read-only) for callers that embed plans in larger documents.</summary>
    public static JsonSerializerOptions Options => Json;

    public static string Serialize(TariffPlan plan) => JsonSerializer.Serialize(plan, Json);

    public static string SerializeVersion(TariffVersion version) => JsonSerializer.Serialize(version, Json);

    /// <summary>Parses and validates a plan.</summary>
    public static TariffJsonResult<TariffPlan> Parse(string json) =>
        Parse<TariffPlan>(json, plan => plan.Validate());

    /// <summary>Parses and validates one version on its own (as the server stores it).</summary>
    public static TariffJsonResult<TariffVersion> ParseVersion(string json) =>
        Parse<TariffVersion>(json, TariffPlanValidator.ValidateVersion);

    private static TariffJsonResult<T> Parse<T>(string json, Func<T, IReadOnlyList<TariffValidationError>> validate)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { } p ? p.TrimStart('$').TrimStart('.') : string.Empty;
            var line = ex.LineNumber is { } l ? (int)l + 1 : (int?)null;
            return new(null, [new TariffFileError(line, path, Explain(ex.Message))]);
        }

        if (value is null)
        {
            return new(null, [new TariffFileError(1, string.Empty, "The file holds no plan (null).")]);
        }

        var errors = validate(value);
        if (errors.Count == 0)
        {
            return new(value, []);
        }

        var lines = LinesByPath(json);
        return new(null, [.. errors.Select(e => new TariffFileError(LineOf(lines, e.Path), e.Path, e.Message))]);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), // names in Chinese stay readable
            IndentSize = 2,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            Converters =
            {
                new TariffPeriodJsonConverter(),
                new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
            },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Turns System.Text.Json's messages into ones about the file rather than about .NET types.</summary>
    private static string Explain(string message)
    {
        var text = PathSuffix().Replace(message, string.Empty);
        if (UnmappedProperty().Match(text) is { Success: true } unmapped)
        {
            return $"There is no field '{unmapped.Groups[1].Value}' here.";
        }

        if (MissingProperties().Match(text) is { Success: true } missing)
        {
            return $"Missing required field(s): {missing.Groups[1].Value.Replace("'", string.Empty, StringComparison.Ordinal)}.";
        }

        if (NotConvertible().Match(text) is { Success: true } convert)
        {
            return convert.Groups[1].Value switch
            {
                "Kilowallet.Domain.Tariffs.FixedChargeBasis" => "A fixed charge is per \"day\" or per \"month\".",
                "System.Decimal" or "System.Nullable`1[System.Decimal]" => "Expected a number.",
                "System.Int32" => "Expected a whole number.",
                "System.DateOnly" => "Expected a date written \"yyyy-MM-dd\".",
                var type => $"The value is not a valid {type[(type.LastIndexOf('.') + 1)..]}.",
            };
        }

        return TypeNames().Replace(text, "$1");
    }

    private static Dictionary<string, int> LinesByPath(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new List<Frame>();
        var property = string.Empty;
        var line = 1;
        var counted = 0L;
        while (reader.Read())
        {
            for (; counted < reader.TokenStartIndex; counted++)
            {
                if (bytes[counted] == (byte)'\n')
                {
                    line++;
                }
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var parent = frames.Count > 0 ? frames[^1].Path : string.Empty;
                    property = parent.Length == 0 ? reader.GetString()! : parent + "." + reader.GetString();
                    lines.TryAdd(property, line);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                default:
                    var path = ValuePath();
                    lines.TryAdd(path, line);
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, path));
                    }

                    break;
            }
        }

        return lines;

        string ValuePath()
        {
            if (frames.Count == 0)
            {
                return string.Empty;
            }

            var top = frames[^1];
            if (!top.IsArray)
            {
                return property;
            }

            top.Index++;
            return $"{top.Path}[{top.Index}]";
        }
    }

    private static int? LineOf(Dictionary<string, int> lines, string path)
    {
        while (true)
        {
            if (lines.TryGetValue(path, out var line))
            {
                return line;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0)
            {
                return path.Length == 0 ? null : lines.GetValueOrDefault(string.Empty, 1);
            }

            path = path[..cut];
        }
    }

    [GeneratedRegex(@"\s*Path: .*$", RegexOptions.Singleline)]
    private static partial Regex PathSuffix();

    [GeneratedRegex(@"The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"missing required properties including: (.*?)\.?$")]
    private static partial Regex MissingProperties();

    [GeneratedRegex(@"could not be converted to ([\w.`\[\]]+)")]
    private static partial Regex NotConvertible();

    [GeneratedRegex(@"'?Kilowallet\.Domain\.Tariffs\.(\w+)'?")]
    private static partial Regex TypeNames();

    private sealed class Frame(bool isArray, string path)
    {
        public bool IsArray { get; } = isArray;

        public string Path { get; } = path;

        public int Index { get; set; } = -1;
    }
}
