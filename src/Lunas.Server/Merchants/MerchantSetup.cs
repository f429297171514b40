namespace Lunas.Server.Merchants;

/// <summary>At start: configured merchants are written to the database; with none anywhere, a sandbox merchant is made.</summary>
public static class MerchantSetup
{
    public const string SandboxName = "Lunas Sandbox Merchant";

    public static async Task EnsureAsync(MerchantStore store, LunasOptions options, TimeProvider clock, ILogger logger,
        TextWriter console, CancellationToken cancellationToken)
    {
        foreach (var configured in options.Merchants)
        {
            await store.UpsertAsync(new Merchant(configured.ClientId.Trim(), configured.SecretKey.Trim(),
                string.IsNullOrWhiteSpace(configured.Name) ? configured.ClientId.Trim() : configured.Name,
                string.IsNullOrWhiteSpace(configured.NotificationUrl) ? null : configured.NotificationUrl,
                MerchantStore.ParseChannels(configured.PaymentMethodTypes),
                configured.NotificationUrls.Count > 0
                    ? configured.NotificationUrls.ToDictionary(u => u.Key.ToUpperInvariant(), u => u.Value, StringComparer.Ordinal)
                    : null, configured.CancelOrderEnabled, configured.CancelConvenienceStore), cancellationToken);
            logger.LogInformation("Merchant {ClientId} loaded from configuration", configured.ClientId);
        }
        if (options.Merchants.Count > 0)
        {
            return;
        }
        var existing = await store.ListAsync(cancellationToken);
        if (existing.Count > 0)
        {
            logger.LogInformation("{Count} merchant(s) in the database; first is {ClientId} ({Name}). `lunas merchants list` shows their keys",
                existing.Count, existing[0].ClientId, existing[0].Name);
            return;
        }
        var (clientId, secretKey) = MerchantStore.NewCredentials(clock);
        await store.UpsertAsync(new Merchant(clientId, secretKey, SandboxName, null, null), cancellationToken);
        // Printed once, to the console and not to the log, so the key does not end up in log storage.
        await console.WriteLineAsync($"""

            Created a sandbox merchant (stored; later starts reuse it):
              Client-Id:  {clientId}
              Secret Key: {secretKey}

            """);
        await console.FlushAsync(cancellationToken);
    }
}
