using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Lunas.Tests.Shared;
using Microsoft.Extensions.Configuration;

namespace Lunas.Server.Tests.Distribution;

/// <summary>
/// Every setting of <see cref="LunasOptions"/> (every public settable property, recursively) is documented three times —
/// appsettings.example.json, the README's table and <c>lunas --help</c> — and these tests keep all three complete.
/// </summary>
public partial class ConfigurationDocsTests
{
    private static readonly string ExampleFile = Path.Combine(Paths.RepoRoot, "src", "Lunas.Server", "appsettings.example.json");

    /// <summary>Configuration keys (<c>Lunas:Database:Provider</c>); a list's element is <c>:0</c>, a dictionary is one key.</summary>
    public static IReadOnlyList<string> SettingKeys() => KeysOf(typeof(LunasOptions), LunasOptions.Section).ToList();

    public static TheoryData<string> Settings() => new(SettingKeys());

    [Fact]
    public void SettingKeys_ReachNestedListAndDictionarySettings_WhenWalkingLunasOptions()
    {
        var keys = SettingKeys();

        Assert.Contains("Lunas:Database:WriteTimeout", keys);
        Assert.Contains("Lunas:Merchants:0:SecretKey", keys);
        Assert.Contains("Lunas:Merchants:0:NotificationUrls", keys);
        Assert.DoesNotContain("Lunas:Merchants", keys);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void ExampleSettings_NameTheSetting_ForEverySettingOfLunasOptions(string key)
    {
        var example = new ConfigurationBuilder().AddJsonFile(ExampleFile).Build();

        Assert.True(example.GetSection(key).Exists(), $"{key} is missing from {ExampleFile}");
    }

    [Fact]
    public void ExampleSettings_AreTheDefaults_ExceptTheExampleMerchant()
    {
        var example = new ConfigurationBuilder().AddJsonFile(ExampleFile).Build();
        var bound = new LunasOptions();
        example.GetSection(LunasOptions.Section).Bind(bound);
        bound.Validate();

        var defaults = new LunasOptions();
        foreach (var key in SettingKeys().Where(k => !k.StartsWith("Lunas:Merchants:", StringComparison.Ordinal)))
        {
            Assert.True(Equals(ValueAt(defaults, key), ValueAt(bound, key)),
                $"{key}: the example says {ValueAt(bound, key)}, the default is {ValueAt(defaults, key)}");
        }
        Assert.Equal("", example["ConnectionStrings:Lunas"]);
        Assert.Equal(LunasApp.DefaultUrl, example["urls"]);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void ReadmeTable_HasARow_ForEverySettingOfLunasOptions(string key)
    {
        var variables = ReadmeTableVariables();

        Assert.True(variables.Any(v => Names(v, key)), $"the README's Configuration table has no row for {Variable(key)}");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_ExitsZeroAndNamesTheCommandsAndEverySetting_WhenAskedFor(string flag)
    {
        var help = await Command.RunAsync("dotnet", [Paths.ServerDll, flag], Path.GetTempPath());

        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Contains("lunas [serve]", help.Output, StringComparison.Ordinal);
        Assert.Contains("lunas merchants list", help.Output, StringComparison.Ordinal);
        Assert.Contains("lunas merchants add", help.Output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Lunas", help.Output, StringComparison.Ordinal);
        var missing = SettingKeys().Where(k => !HelpLines(help.Output).Any(line => Names(line, k))).ToList();
        Assert.True(missing.Count == 0, "--help does not name " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Lunas_ExitsTwoWithoutServing_WhenTheCommandIsUnknown()
    {
        var run = await Command.RunAsync("dotnet", [Paths.ServerDll, "merchant", "list"], Path.GetTempPath());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown command 'merchant'", run.Output, StringComparison.Ordinal);
    }

    private static IEnumerable<string> KeysOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = prefix + ":" + property.Name;
            var propertyType = property.PropertyType;
            if (propertyType == typeof(string) || propertyType.IsValueType || typeof(IDictionary).IsAssignableFrom(propertyType))
            {
                yield return key;
            }
            else
            {
                var element = typeof(IList).IsAssignableFrom(propertyType) ? propertyType.GetGenericArguments()[0] : propertyType;
                foreach (var nested in KeysOf(element, element == propertyType ? key : key + ":0"))
                {
                    yield return nested;
                }
            }
        }
    }

    private static object? ValueAt(object options, string key)
    {
        object? value = options;
        foreach (var name in key.Split(':').Skip(1))
        {
            value = value!.GetType().GetProperty(name)!.GetValue(value);
        }
        return value as string == "" ? null : value;
    }

    private static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>The variable itself, or a dictionary's entry form (<c>…__NotificationUrls__&lt;SERVICE&gt;</c>).</summary>
    private static bool Names(string text, string key)
        => Regex.IsMatch(text, "(^|[^A-Za-z0-9_])" + Regex.Escape(Variable(key)) + "($|[^A-Za-z0-9]|__<)");

    private static IEnumerable<string> HelpLines(string help) => help.Split('\n');

    /// <summary>The first cell of each row of the table under "## Configuration".</summary>
    private static List<string> ReadmeTableVariables()
    {
        var readme = File.ReadAllText(Path.Combine(Paths.RepoRoot, "README.md"));
        var start = readme.IndexOf("\n## Configuration\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no Configuration section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return TableRow().Matches(section).Select(m => m.Groups[1].Value).ToList();
    }

    [GeneratedRegex(@"^\| `([^`]+)`", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
