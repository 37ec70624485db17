namespace Kilowallet.Protocols.Profiles;

/// <summary>
/// The meter profiles known at start: every Profiles/*.json beside the application, validated. Adding or
/// correcting a model is a file edit. Load once at start and fail with every error listed.
/// </summary>
public sealed class MeterProfileCatalog
{
    private readonly Dictionary<string, MeterProfile> _profiles;

    private MeterProfileCatalog(Dictionary<string, MeterProfile> profiles, IReadOnlyList<ProfileError> errors)
    {
        _profiles = profiles;
        Errors = errors;
    }

    /// <summary>Where the shipped profiles are copied: Profiles/ in the application's directory.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Profiles");

    public IReadOnlyCollection<MeterProfile> Profiles => _profiles.Values;

    public IReadOnlyList<ProfileError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>Loads every *.json of <paramref name="directory"/>; invalid files are left out and listed in <see cref="Errors"/>.</summary>
    public static MeterProfileCatalog Load(string directory)
    {
        var errors = new List<ProfileError>();
        var profiles = new Dictionary<string, MeterProfile>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            errors.Add(new ProfileError(directory, "(directory)", "does not exist"));
            return new MeterProfileCatalog(profiles, errors);
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var parser = new ProfileParser(file);
            var profile = parser.Parse(File.ReadAllText(path));
            errors.AddRange(parser.Errors);
            if (profile is null)
            {
                continue;
            }

            if (!profiles.TryAdd(profile.Name, profile))
            {
                errors.Add(new ProfileError(file, "name", $"profile '{profile.Name}' is already defined in {profiles[profile.Name].SourceFile}"));
            }
        }

        return new MeterProfileCatalog(profiles, errors);
    }

    /// <summary>Parses one profile from text (tests, tools); errors name <paramref name="fileName"/>.</summary>
    public static MeterProfile? Parse(string json, string fileName, out IReadOnlyList<ProfileError> errors)
    {
        var parser = new ProfileParser(fileName);
        var profile = parser.Parse(json);
        errors = parser.Errors;
        return profile;
    }

    /// <summary>Loads and throws <see cref="ProfileCatalogException"/> listing every error, as a host does at start.</summary>
    public static MeterProfileCatalog LoadOrThrow(string? directory = null)
    {
        var catalog = Load(directory ?? DefaultDirectory);
        return catalog.IsValid ? catalog : throw new ProfileCatalogException(catalog.Errors);
    }

    public bool TryGet(string name, out MeterProfile profile) => _profiles.TryGetValue(name, out profile!);

    public MeterProfile Get(string name) =>
        _profiles.TryGetValue(name, out var profile)
            ? profile
            : throw new KeyNotFoundException($"No meter profile '{name}'; known: {string.Join(", ", _profiles.Keys.Order(StringComparer.Ordinal))}.");
}
