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

    public void Validate()
    {
        if (TimestampTolerance <= TimeSpan.Zero)
            throw new InvalidOperationException("Lunas:TimestampTolerance must be positive.");
        if (MaxBodyBytes < 1024)
            throw new InvalidOperationException("Lunas:MaxBodyBytes must be at least 1024.");
        if (!string.IsNullOrEmpty(PublicBaseUrl) && !Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _))
            throw new InvalidOperationException("Lunas:PublicBaseUrl must be an absolute URL.");
        if (Database.Provider is not ("sqlite" or "postgres"))
            throw new InvalidOperationException($"Lunas:Database:Provider must be sqlite or postgres, not '{Database.Provider}'.");
        for (var i = 0; i < Merchants.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Merchants[i].ClientId) || string.IsNullOrWhiteSpace(Merchants[i].SecretKey))
                throw new InvalidOperationException($"Lunas:Merchants:{i} needs ClientId and SecretKey.");
        }
    }
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Most create-payment writes committed in one transaction (group commit).</summary>
    public int MaxBatchSize { get; set; } = 256;
}

public sealed class MerchantOptions
{
    public string ClientId { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public string? Name { get; set; }
    public string? NotificationUrl { get; set; }

    /// <summary>Comma-separated channel values; empty: every channel.</summary>
    public string? PaymentMethodTypes { get; set; }
}

public sealed class SandboxOptions
{
    public bool Enabled { get; set; } = true;
}
