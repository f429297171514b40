using Lunas.Server.Storage;

namespace Lunas.Server.Merchants;

/// <summary><c>lunas merchants list|add|remove</c>: manage merchants in the configured database.</summary>
public static class MerchantsCli
{
    public const string Usage = """
        usage: lunas merchants list
               lunas merchants add --name <name> [--client-id <id>] [--secret-key <key>]
                                   [--notification-url <url>] [--payment-method-types <A,B,...>]
               lunas merchants remove <client-id>
        Uses the same configuration as the server (appsettings.json, Lunas__* and ConnectionStrings__Lunas).
        """;

    /// <param name="destinationRefusal">Why a notification URL may not be used under this configuration, or null.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, Func<IConfiguration, string, string?>? destinationRefusal = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args.Length > 2 ? args[2..] : []);
        var configuration = builder.Configuration;
        var verb = args.Length > 1 ? args[1] : "";
        var clock = TimeProvider.System;
        await using var database = Database.FromConfiguration(configuration);
        await database.WithStartupLockAsync(() => Migrator.MigrateAsync(database, clock, CancellationToken.None), CancellationToken.None);
        var store = new MerchantStore(database, clock);
        switch (verb)
        {
            case "list":
                var merchants = await store.ListAsync(CancellationToken.None);
                await output.WriteLineAsync($"{"CLIENT-ID",-32} {"SECRET-KEY",-26} {"NAME",-28} NOTIFICATION-URL / CHANNELS");
                foreach (var m in merchants)
                {
                    await output.WriteLineAsync(
                        $"{m.ClientId,-32} {m.SecretKey,-26} {m.Name,-28} {m.NotificationUrl ?? "-"} / {(m.PaymentMethodTypes is null ? "all" : string.Join(',', m.PaymentMethodTypes))}");
                }
                return 0;
            case "add":
                var options = Options(args.AsSpan(2));
                if (!options.TryGetValue("name", out var name))
                {
                    await output.WriteLineAsync("merchants add needs --name\n" + Usage);
                    return 2;
                }
                if (options.TryGetValue("notification-url", out var url) && destinationRefusal?.Invoke(configuration, url) is { } refusal)
                {
                    await output.WriteLineAsync($"--notification-url {url}: {refusal}");
                    return 2;
                }
                var (clientId, secretKey) = MerchantStore.NewCredentials(clock);
                var merchant = new Merchant(options.GetValueOrDefault("client-id", clientId),
                    options.GetValueOrDefault("secret-key", secretKey), name, options.GetValueOrDefault("notification-url"),
                    MerchantStore.ParseChannels(options.GetValueOrDefault("payment-method-types")));
                if (merchant.ClientId.Length > Protocol.Wire.DokuHeaders.MaxClientIdLength
                    || !Protocol.Wire.DokuHeaders.IsPrintableAscii(merchant.ClientId))
                {
                    await output.WriteLineAsync($"--client-id must be printable ASCII of at most {Protocol.Wire.DokuHeaders.MaxClientIdLength} characters");
                    return 2;
                }
                await store.UpsertAsync(merchant, CancellationToken.None);
                await output.WriteLineAsync($"Client-Id:  {merchant.ClientId}\nSecret Key: {merchant.SecretKey}");
                return 0;
            case "remove" when args.Length > 2:
                var removed = await store.RemoveAsync(args[2], CancellationToken.None);
                await output.WriteLineAsync(removed ? $"removed {args[2]}" : $"no merchant {args[2]}");
                return removed ? 0 : 1;
            default:
                await output.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static Dictionary<string, string> Options(ReadOnlySpan<string> args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && !args[i].Contains('='))
            {
                result[args[i][2..]] = args[++i];
            }
        }
        return result;
    }
}
