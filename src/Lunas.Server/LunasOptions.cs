using System.Net;
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

    public CardOptions Cards { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();

    public void Validate()
    {
        if (TimestampTolerance <= TimeSpan.Zero)
            throw new InvalidOperationException("Lunas:TimestampTolerance must be positive.");
        if (MaxBodyBytes < 1024)
            throw new InvalidOperationException("Lunas:MaxBodyBytes must be at least 1024.");
        if (!string.IsNullOrEmpty(PublicBaseUrl) && !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException("Lunas:PublicBaseUrl must be an absolute URL.");
        DatabaseProviderName.Parse(Database.Provider);
        if (Database.WriteTimeout <= TimeSpan.Zero || Database.WriteTimeout > TimeSpan.FromMinutes(10))
            throw new InvalidOperationException("Lunas:Database:WriteTimeout must be positive and at most 00:10:00.");
        if (Database.MaxQueuedWrites < 1)
            throw new InvalidOperationException("Lunas:Database:MaxQueuedWrites must be at least 1.");
        Notifications.ParsedRetrySchedule();
        Notifications.ParsedAllowedNetworks();
        if (Notifications.Timeout <= TimeSpan.Zero || Notifications.Concurrency < 1 || Notifications.PollInterval <= TimeSpan.Zero
            || Notifications.ConcurrencyPerHost < 1 || Notifications.HostBackoff <= TimeSpan.Zero)
            throw new InvalidOperationException(
                "Lunas:Notifications: Timeout, Concurrency, ConcurrencyPerHost, HostBackoff and PollInterval must be positive.");
        if (Cards.AuthorizeWindow <= TimeSpan.Zero || Cards.SettlementCutoff < TimeSpan.Zero || Cards.SettlementCutoff >= TimeSpan.FromDays(1))
            throw new InvalidOperationException("Lunas:Cards: AuthorizeWindow must be positive, SettlementCutoff a time of day (00:00:00 to 23:59:59).");
        Telemetry.Validate();
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

    /// <summary>Longest a request waits for its write to commit; then 503 with <c>Retry-After</c>.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most writes waiting for a writer; a write beyond it is refused at once (503) instead of waiting.</summary>
    public int MaxQueuedWrites { get; set; } = 8192;
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

    /// <summary>Whether <c>POST /checkout/v3/cancellations</c> is activated (DOKU: per merchant).</summary>
    public bool CancelOrderEnabled { get; set; } = true;

    /// <summary>Whether an order whose customer chose a convenience store can be cancelled (DOKU's newer page: yes).</summary>
    public bool CancelConvenienceStore { get; set; } = true;
}

public sealed class CardOptions
{
    /// <summary>How long a card AUTHORIZE can be captured; after it the hold is released (VOIDED).</summary>
    public TimeSpan AuthorizeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The time of day (WIB) card payments settle: before the next one after a sale or capture, only a full void.</summary>
    public TimeSpan SettlementCutoff { get; set; } = TimeSpan.Zero;
}

public sealed class NotificationOptions
{
    /// <summary>When false this instance does not send (others sharing the database still may).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Delays after the first attempt, DOKU's by default: +30 min, +6 h, +12 h; then the notification is failed.</summary>
    public string RetrySchedule { get; set; } = "00:30:00,06:00:00,12:00:00";

    /// <summary>How long a receiver may take to answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Receivers on loopback and private networks (merchants test on their own machines). Unset: allowed when Lunas
    /// listens on loopback only, refused when it is reachable from elsewhere (a shared instance).
    /// </summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>Comma-separated CIDRs (<c>10.20.0.0/16,fd12::/16</c>) allowed even when private networks are not.</summary>
    public string? AllowedNetworks { get; set; }

    /// <summary>Sends in flight at once per instance.</summary>
    public int Concurrency { get; set; } = 64;

    /// <summary>Sends in flight at once to one receiver (scheme, host and port).</summary>
    public int ConcurrencyPerHost { get; set; } = 16;

    /// <summary>How long a receiver that keeps timing out is left alone first; doubles while it goes on (at most 32 times).</summary>
    public TimeSpan HostBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often due retries (and other instances' notifications) are looked for.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<IPNetwork> ParsedAllowedNetworks()
    {
        var networks = new List<IPNetwork>();
        foreach (var part in (AllowedNetworks ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPNetwork.TryParse(part.Contains('/') ? part : part + (part.Contains(':') ? "/128" : "/32"), out var network))
                throw new InvalidOperationException($"Lunas:Notifications:AllowedNetworks: '{part}' is not a network like 10.20.0.0/16 or fd12::/16.");
            networks.Add(network);
        }
        return networks;
    }

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

public sealed class TelemetryOptions
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>Prometheus text at <c>GET /metrics</c>.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>An OpenTelemetry collector (<c>http://collector:4317</c>): metrics and traces also go there. None: no traces at all.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317 by convention) or <c>http/protobuf</c> (4318).</summary>
    public string OtlpProtocol { get; set; } = Grpc;

    /// <summary>The collector's address, or null when none is configured.</summary>
    public Uri? OtlpUri() => string.IsNullOrWhiteSpace(OtlpEndpoint) ? null : new Uri(OtlpEndpoint.Trim(), UriKind.Absolute);

    public void Validate()
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            throw new InvalidOperationException("Lunas:Telemetry:OtlpEndpoint must be an absolute http:// or https:// URL.");
        if (OtlpProtocol is not (Grpc or HttpProtobuf))
            throw new InvalidOperationException($"Lunas:Telemetry:OtlpProtocol must be {Grpc} or {HttpProtobuf}, not '{OtlpProtocol}'.");
    }
}

public sealed class SandboxOptions
{
    public bool Enabled { get; set; } = true;
}
