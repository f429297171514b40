using System.Text.Json.Serialization;

namespace Lunas.Client;

/// <summary>
/// A merchant's clock in the Lunas sandbox: the merchant's "now" and how far it runs ahead of real time. Lunas only:
/// the real DOKU has no such clock.
/// </summary>
public sealed class LunasSandboxClock
{
    /// <summary>The merchant's current time (UTC) on Lunas: what expiry, recovery, settlement and the retry schedule go by.</summary>
    [JsonPropertyName("now")] public DateTimeOffset Now { get; set; }

    /// <summary>How far the merchant's time is ahead of real time, in whole seconds.</summary>
    [JsonPropertyName("offset_seconds")] public long OffsetSeconds { get; set; }

    /// <summary><see cref="OffsetSeconds"/> as a <see cref="TimeSpan"/>.</summary>
    [JsonIgnore] public TimeSpan Offset => TimeSpan.FromSeconds(OffsetSeconds);
}

/// <summary>What a Lunas sandbox reset removed, and the merchant's clock after it (back on real time). Lunas only.</summary>
public sealed class LunasSandboxReset
{
    /// <summary>How many records of each kind were removed.</summary>
    [JsonPropertyName("removed")] public LunasRemovedData? Removed { get; set; }

    /// <summary>The merchant's clock after the reset (offset 0).</summary>
    [JsonPropertyName("clock")] public LunasSandboxClock? Clock { get; set; }
}

/// <summary>The counts of a Lunas sandbox reset.</summary>
public sealed class LunasRemovedData
{
    /// <summary>Checkout sessions (orders).</summary>
    [JsonPropertyName("sessions")] public int Sessions { get; set; }

    /// <summary>Payment attempts of those sessions.</summary>
    [JsonPropertyName("payment_attempts")] public int PaymentAttempts { get; set; }

    /// <summary>Notifications (sent or waiting).</summary>
    [JsonPropertyName("notifications")] public int Notifications { get; set; }

    /// <summary>Delivery attempts of those notifications.</summary>
    [JsonPropertyName("notification_attempts")] public int NotificationAttempts { get; set; }

    /// <summary>Cancel, capture, void and refund records.</summary>
    [JsonPropertyName("payment_operations")] public int PaymentOperations { get; set; }
}
