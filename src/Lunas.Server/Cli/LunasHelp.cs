using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Lunas.Server.Merchants;
using Lunas.Server.Storage;

namespace Lunas.Server.Cli;

/// <summary><c>lunas --help</c>: the commands, the settings most used, and every setting with its default.</summary>
public static class LunasHelp
{
    private const string MostUsed = """
        Most used settings (environment variable; as an argument: --Lunas:Database:Provider=postgres):
          ASPNETCORE_URLS or --urls                 where to listen (http://localhost:5080)
          ConnectionStrings__Lunas                  the database: a SQLite "Data Source=<file>" or a PostgreSQL connection string
          Lunas__Database__Provider                 sqlite (default) or postgres
          Lunas__PublicBaseUrl                      base of payment.url (default: the scheme and host the request came to)
          Lunas__Merchants__0__ClientId, Lunas__Merchants__0__SecretKey, Lunas__Merchants__0__NotificationUrl
                                                    a merchant from configuration (with none, a sandbox merchant is made once)
          Lunas__Sandbox__Enabled                   the simulator API (true)
          Lunas__Notifications__Enabled             whether this instance sends notifications (true)
          Lunas__Telemetry__Metrics                 Prometheus metrics at /metrics (true)
          Lunas__Telemetry__OtlpEndpoint            an OpenTelemetry collector for metrics and traces (none)
        """;

    /// <summary><c>--help</c> and <c>-h</c> anywhere; <c>help</c> as the command.</summary>
    public static bool Wanted(string[] args)
        => args is ["help", ..] || args.Any(a => a is "--help" or "-h" or "-?");

    public static string Text()
    {
        var text = new StringBuilder();
        text.AppendLine("lunas: a self-hosted DOKU Checkout API emulator.");
        text.AppendLine();
        text.AppendLine("usage: lunas [serve] [--urls <url>] [--<setting>=<value> ...]   run the server (serve is the default command)");
        text.AppendLine("       lunas --help | -h");
        text.AppendLine(MerchantsCli.Usage.Replace("usage: ", "       ", StringComparison.Ordinal));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Data: {Path.GetFullPath(DataLocation.DefaultSqlitePath())} (SQLite), unless ConnectionStrings__Lunas names another database.");
        text.AppendLine("Settings are read from appsettings.json in the working directory, then environment variables, then arguments.");
        text.AppendLine();
        text.AppendLine(MostUsed);
        text.AppendLine();
        text.AppendLine("Every setting (environment variable, default):");
        var settings = Settings().Select(s => (Variable: EnvironmentVariable(s.Key), s.Default)).ToList();
        var width = settings.Max(s => s.Variable.Length) + 2;
        foreach (var (variable, value) in settings)
        {
            text.Append("  ").Append(variable.PadRight(width)).AppendLine(value);
        }
        text.AppendLine("Each is explained in the README (Configuration) and in src/Lunas.Server/appsettings.example.json.");
        return text.ToString();
    }

    /// <summary><c>Lunas:Database:Provider</c> → <c>Lunas__Database__Provider</c>.</summary>
    public static string EnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Every setting under <c>Lunas</c> as (configuration key, default), read from the options classes themselves.</summary>
    public static IEnumerable<(string Key, string Default)> Settings() => Walk(new LunasOptions(), LunasOptions.Section);

    private static IEnumerable<(string Key, string Default)> Walk(object options, string prefix)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true }) continue;
            var key = $"{prefix}:{property.Name}";
            var value = property.GetValue(options);
            IEnumerable<(string, string)> found = value switch
            {
                null or string or bool or int or long or TimeSpan => [(key, Format(value))],
                IDictionary => [(key + ":<KEY>", "(none)")],
                IList => Walk(Activator.CreateInstance(property.PropertyType.GetGenericArguments()[0])!, key + ":0"),
                _ => Walk(value, key),
            };
            foreach (var setting in found)
            {
                yield return setting;
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null or "" => "(none)",
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
