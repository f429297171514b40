namespace Lunas.Client;

/// <summary>
/// Where the DOKU Checkout API is and who the merchant is. Bind it from configuration (section <c>Doku</c> in the
/// samples) or set it in code through <c>AddDokuCheckout</c>.
/// </summary>
public sealed class DokuCheckoutOptions
{
    /// <summary>DOKU's sandbox, the default base URL.</summary>
    public const string SandboxBaseUrl = "https://api-sandbox.doku.com";

    /// <summary>DOKU's production base URL.</summary>
    public const string ProductionBaseUrl = "https://api.doku.com";

    /// <summary>
    /// Scheme, host and optional path prefix of the API: <see cref="SandboxBaseUrl"/> (default),
    /// <see cref="ProductionBaseUrl"/>, or a Lunas server such as <c>http://127.0.0.1:5080</c>.
    /// </summary>
    public string BaseUrl { get; set; } = SandboxBaseUrl;

    /// <summary>The merchant's Client-Id from the DOKU Back Office (or from Lunas).</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The merchant's Secret Key: signs every request and verifies responses and notifications. Never logged.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>
    /// How many times a request is sent again after a transient failure (network error, timeout, HTTP 502, 503 or
    /// 504), always with the same Request-Id. Default 2; 0 disables retries.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Delay before the first retry; it doubles for each further retry. Default 200 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one attempt may take before it counts as a transient failure. Default 30 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true (the default) a request is checked before it is sent (a create payment against the rules of DOKU's
    /// create-payment page, a cancel, capture or refund for its mandatory fields and limits), and an invalid one throws
    /// <see cref="DokuValidationException"/> without any HTTP call.
    /// </summary>
    public bool ValidateRequests { get; set; } = true;

    /// <summary>
    /// When true (the default) a response's <c>Signature</c> header, when present, must match its body, the path called,
    /// the Request-Id and the Secret Key, or the call throws <see cref="DokuSignatureException"/>. Turn it off only to
    /// talk to a gateway that signs responses some other way.
    /// </summary>
    public bool VerifyResponseSignatures { get; set; } = true;

    /// <summary>
    /// When true a response without a <c>Signature</c> header is rejected. When false (the default) the signature is
    /// checked whenever the header is present.
    /// </summary>
    public bool RequireResponseSignature { get; set; }

    /// <summary>How far a notification's <c>Request-Timestamp</c> may be from this machine's clock. Default 5 minutes.</summary>
    public TimeSpan NotificationTimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest notification body the endpoint helper reads; a larger one is answered 413. Default 1 MiB.</summary>
    public int MaxNotificationBytes { get; set; } = 1024 * 1024;

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query))
        {
            problems.Add($"BaseUrl must be an absolute http or https URL without a query, not '{BaseUrl}'.");
        }
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            problems.Add("ClientId must be set.");
        }
        if (string.IsNullOrEmpty(SecretKey))
        {
            problems.Add("SecretKey must be set.");
        }
        if (MaxRetries is < 0 or > 10)
        {
            problems.Add("MaxRetries must be between 0 and 10.");
        }
        if (RetryDelay < TimeSpan.Zero)
        {
            problems.Add("RetryDelay must not be negative.");
        }
        if (AttemptTimeout <= TimeSpan.Zero)
        {
            problems.Add("AttemptTimeout must be positive.");
        }
        if (RequireResponseSignature && !VerifyResponseSignatures)
        {
            problems.Add("RequireResponseSignature needs VerifyResponseSignatures.");
        }
        if (NotificationTimestampTolerance <= TimeSpan.Zero)
        {
            problems.Add("NotificationTimestampTolerance must be positive.");
        }
        if (MaxNotificationBytes < 1024)
        {
            problems.Add("MaxNotificationBytes must be at least 1024.");
        }
        return problems;
    }

    internal void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("DokuCheckoutOptions: " + string.Join(" ", problems), "options");
        }
    }
}
