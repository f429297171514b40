using Lunas.Server.Storage;

namespace Lunas.Server;

/// <summary>Settings under <c>Lunas</c>. Every default works with no configuration file at all.</summary>
public sealed class LunasOptions
{
    public const string Section = "Lunas";

    /// <summary>Base of <c>payment.url</c>; when empty, the scheme and host the request came to.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How far a Request-Timestamp may be from the server clock.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted request body; larger gets 413.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>One line per request at Information level.</summary>
    public bool RequestLog { get; set; } = true;

    public DatabaseOptions Database { get; set; } = new();

    public List<MerchantOptions> Merchants { get; set; } = [];

    public SandboxOptions Sandbox { get; set; } = new();

    public NotificationOptions Notifications { get; set; } = new();

    public void Validate()
    {
        if (TimestampTolerance <= TimeSpan.Zero)
            throw new InvalidOperationException("Lunas:TimestampTolerance must be positive.");
        if (MaxBodyBytes < 1024)
            throw new InvalidOperationException("Lunas:MaxBodyBytes must be at least 1024.");
        if (!string.IsNullOrEmpty(PublicBaseUrl) && !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException("Lunas:PublicBaseUrl must be an absolute URL.");
        DatabaseProviderName.Parse(Database.Provider);
        Notifications.ParsedRetrySchedule();
        if (Notifications.Timeout <= TimeSpan.Zero || Notifications.Concurrency < 1 || Notifications.PollInterval <= TimeSpan.Zero)
            throw new InvalidOperationException("Lunas:Notifications: Timeout, Concurrency and PollInterval must be positive.");
        for (var i = 0; i < Merchants.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Merchants[i].ClientId) || string.IsNullOrWhiteSpace(Merchants[i].SecretKey))
                throw new InvalidOperationException($"Lunas:Merchants:{i} needs ClientId and SecretKey.");
            var clientId = Merchants[i].ClientId.Trim();
            if (clientId.Length > Protocol.Wire.DokuHeaders.MaxClientIdLength || !Protocol.Wire.DokuHeaders.IsPrintableAscii(clientId))
                throw new InvalidOperationException(
                    $"Lunas:Merchants:{i}:ClientId must be printable ASCII of at most {Protocol.Wire.DokuHeaders.MaxClientIdLength} characters (it is sent as a header).");
        }
    }
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Most create-payment writes committed in one transaction (group commit).</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Group-commit writers working at once on PostgreSQL (SQLite always uses one).</summary>
    public int Writers { get; set; } = 4;
}

public sealed class MerchantOptions
{
    public string ClientId { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public string? Name { get; set; }
    public string? NotificationUrl { get; set; }

    /// <summary>Comma-separated channel values; empty: every channel.</summary>
    public string? PaymentMethodTypes { get; set; }

    /// <summary>Notification URL per channel family, keyed by service id (VIRTUAL_ACCOUNT, CREDIT_CARD, EMONEY, …).</summary>
    public Dictionary<string, string> NotificationUrls { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class NotificationOptions
{
    /// <summary>When false this instance does not send (others sharing the database still may).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Delays after the first attempt, DOKU's by default: +30 min, +6 h, +12 h; then the notification is failed.</summary>
    public string RetrySchedule { get; set; } = "00:30:00,06:00:00,12:00:00";

    /// <summary>How long a receiver may take to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Receivers on loopback and private addresses (merchants test on their own machines).</summary>
    public bool AllowPrivateAddresses { get; set; } = true;

    /// <summary>Sends in flight at once per instance.</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>How often due retries (and other instances' notifications) are looked for.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<TimeSpan> ParsedRetrySchedule()
    {
        var delays = new List<TimeSpan>();
        foreach (var part in RetrySchedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var delay) || delay < TimeSpan.Zero)
                throw new InvalidOperationException($"Lunas:Notifications:RetrySchedule: '{part}' is not a delay like 00:30:00.");
            delays.Add(delay);
        }
        for (var i = 1; i < delays.Count; i++)
        {
            if (delays[i] < delays[i - 1])
                throw new InvalidOperationException("Lunas:Notifications:RetrySchedule must be in increasing order (delays after the first attempt).");
        }
        return delays;
    }
}

public sealed class SandboxOptions
{
    public bool Enabled { get; set; } = true;
}
