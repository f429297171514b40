using System.Globalization;

namespace Lunas.Bench;

/// <summary><c>--name value</c> pairs.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Arguments Parse(ReadOnlySpan<string> args)
    {
        var result = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
                throw new ArgumentException($"expected --option, got '{name}'");
            if (i + 1 >= args.Length)
                throw new ArgumentException($"{name} needs a value");
            result._values[name[2..]] = args[++i];
        }
        return result;
    }

    public string Required(string name)
        => _values.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new ArgumentException($"--{name} is required");

    public string Optional(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int OptionalNonNegativeInt(string name, int fallback)
        => !_values.TryGetValue(name, out var text)
            ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new ArgumentException($"--{name} must be a whole number");

    public int OptionalPositiveInt(string name, int fallback)
        => OptionalNonNegativeInt(name, fallback) is var value and > 0 ? value : throw new ArgumentException($"--{name} must be positive");

    public int RequiredPositiveInt(string name)
        => int.TryParse(Required(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} must be a positive integer");
}
