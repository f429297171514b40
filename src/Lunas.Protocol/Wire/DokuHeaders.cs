namespace Lunas.Protocol.Wire;

/// <summary>The HTTP header names of DOKU's non-SNAP signature (spec section 1), for requests, responses and notifications.</summary>
public static class DokuHeaders
{
    /// <summary>The merchant's Client-Id.</summary>
    public const string ClientId = "Client-Id";

    /// <summary>The caller's idempotency key, at most <see cref="MaxRequestIdLength"/> characters.</summary>
    public const string RequestId = "Request-Id";

    /// <summary>The timestamp header of a request or a notification.</summary>
    public const string RequestTimestamp = "Request-Timestamp";

    /// <summary>The timestamp header of a synchronous response.</summary>
    public const string ResponseTimestamp = "Response-Timestamp";

    /// <summary>The <c>HMACSHA256=…</c> signature.</summary>
    public const string Signature = "Signature";

    /// <summary>The name of the body-hash line in the string to sign.</summary>
    public const string Digest = "Digest";

    /// <summary>The name of the path line in the string to sign.</summary>
    public const string RequestTarget = "Request-Target";

    /// <summary>The longest Request-Id DOKU accepts.</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>The longest Client-Id accepted (DOKU's are about 24 characters).</summary>
    public const int MaxClientIdLength = 64;

    /// <summary>True when every character is printable ASCII (space to tilde), the only shape an id header may have.</summary>
    /// <param name="value">The header value.</param>
    public static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~') return false;
        }
        return true;
    }
}
