namespace Lunas.Testing;

/// <summary>How <see cref="LunasSandbox.StartAsync(LunasSandboxOptions?, CancellationToken)"/> sets up its Lunas.</summary>
public sealed class LunasSandboxOptions
{
    /// <summary>The merchant's Client-Id. Default <c>MCH-LUNAS-TESTING-0001</c>.</summary>
    public string ClientId { get; set; } = "MCH-LUNAS-TESTING-0001";

    /// <summary>The merchant's Secret Key. Default: a fresh random key per sandbox.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The merchant's name, shown on the payment page. Default <c>Lunas Testing Shop</c>.</summary>
    public string MerchantName { get; set; } = "Lunas Testing Shop";

    /// <summary>
    /// Where Lunas sends the merchant's notifications (your own receiver). When null (the default) they go to the
    /// sandbox's own inbox, read with <see cref="LunasSandbox.WaitForNotificationAsync"/>.
    /// </summary>
    public string? NotificationUrl { get; set; }

    /// <summary>
    /// More Lunas configuration keys, applied last (for example <c>Lunas:Notifications:RetrySchedule</c> or
    /// <c>Lunas:Merchants:0:PaymentMethodTypes</c>).
    /// </summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>When true, Lunas's own log (warnings and up) goes to the console. Default false.</summary>
    public bool ShowServerLog { get; set; }
}
