using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lunas.Protocol.Wire;

namespace Lunas.Protocol.Signing;

/// <summary>
/// The DOKU non-SNAP request signature: HMAC-SHA256 over the lines
/// <c>Client-Id</c>, <c>Request-Id</c>, <c>Request-Timestamp</c> (or <c>Response-Timestamp</c>),
/// <c>Request-Target</c> and, when there is a body, <c>Digest</c>, joined by <c>\n</c> with no trailing newline.
/// </summary>
public static class DokuSignature
{
    /// <summary>The prefix of every signature header value.</summary>
    public const string Prefix = "HMACSHA256=";

    /// <summary>The timestamp header of a request or a notification (<see cref="DokuHeaders.RequestTimestamp"/>).</summary>
    public const string RequestTimestamp = DokuHeaders.RequestTimestamp;

    /// <summary>The timestamp header of a synchronous response (<see cref="DokuHeaders.ResponseTimestamp"/>).</summary>
    public const string ResponseTimestamp = DokuHeaders.ResponseTimestamp;

    /// <summary>The longest Request-Id DOKU accepts (<see cref="DokuHeaders.MaxRequestIdLength"/>).</summary>
    public const int MaxRequestIdLength = DokuHeaders.MaxRequestIdLength;

    /// <summary>Base64 of the SHA-256 of the body bytes exactly as sent or received.</summary>
    public static string Digest(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>The exact string that is signed. <paramref name="digest"/> is null for a request without a body.</summary>
    public static string StringToSign(string clientId, string requestId, string timestamp, string requestTarget,
        string? digest, string timestampHeader = RequestTimestamp)
    {
        var sb = new StringBuilder(192);
        sb.Append(DokuHeaders.ClientId).Append(':').Append(clientId)
          .Append('\n').Append(DokuHeaders.RequestId).Append(':').Append(requestId)
          .Append('\n').Append(timestampHeader).Append(':').Append(timestamp)
          .Append('\n').Append(DokuHeaders.RequestTarget).Append(':').Append(requestTarget);
        if (digest is not null)
        {
            sb.Append('\n').Append(DokuHeaders.Digest).Append(':').Append(digest);
        }
        return sb.ToString();
    }

    /// <summary>The <c>Signature</c> header value (<c>HMACSHA256=…</c>) for the given components.</summary>
    public static string Sign(string secretKey, string clientId, string requestId, string timestamp, string requestTarget,
        string? digest, string timestampHeader = RequestTimestamp)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secretKey, StringToSign(clientId, requestId, timestamp, requestTarget, digest, timestampHeader), mac);
        return Prefix + Convert.ToBase64String(mac);
    }

    /// <summary>Signs a request or response carrying <paramref name="body"/> (null or empty for none).</summary>
    public static string SignBody(string secretKey, string clientId, string requestId, string timestamp, string requestTarget,
        ReadOnlySpan<byte> body, bool hasBody, string timestampHeader = RequestTimestamp)
        => Sign(secretKey, clientId, requestId, timestamp, requestTarget, hasBody ? Digest(body) : null, timestampHeader);

    /// <summary>
    /// True when <paramref name="signature"/> is the signature of the given components. The comparison runs in
    /// constant time over the decoded MAC, so timing says nothing about how much of a forged value was right.
    /// </summary>
    public static bool Verify(string secretKey, string clientId, string requestId, string timestamp, string requestTarget,
        string? digest, string signature, string timestampHeader = RequestTimestamp)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secretKey, StringToSign(clientId, requestId, timestamp, requestTarget, digest, timestampHeader), expected);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var ok = TryDecodeSignature(signature, given);
        // Always compare, so a malformed value costs the same as a wrong one.
        return CryptographicOperations.FixedTimeEquals(expected, given) & ok;
    }

    /// <summary>True when the header value has the <c>HMACSHA256=</c> form with a 32-byte Base64 MAC.</summary>
    public static bool IsWellFormed(string? signature)
    {
        Span<byte> buffer = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return signature is not null && TryDecodeSignature(signature, buffer);
    }

    private static bool TryDecodeSignature(string signature, Span<byte> destination)
    {
        if (!signature.StartsWith(Prefix, StringComparison.Ordinal))
        {
            destination.Clear();
            return false;
        }
        Span<byte> scratch = stackalloc byte[48];
        if (!Convert.TryFromBase64Chars(signature.AsSpan(Prefix.Length), scratch, out var written)
            || written != HMACSHA256.HashSizeInBytes)
        {
            destination.Clear();
            return false;
        }
        scratch[..written].CopyTo(destination);
        return true;
    }

    private static void ComputeMac(string secretKey, string stringToSign, Span<byte> destination)
    {
        var keyLength = Encoding.UTF8.GetByteCount(secretKey);
        var messageLength = Encoding.UTF8.GetByteCount(stringToSign);
        var rented = ArrayPool<byte>.Shared.Rent(keyLength + messageLength);
        try
        {
            var key = rented.AsSpan(0, keyLength);
            var message = rented.AsSpan(keyLength, messageLength);
            Encoding.UTF8.GetBytes(secretKey, key);
            Encoding.UTF8.GetBytes(stringToSign, message);
            HMACSHA256.HashData(key, message, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, keyLength));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The UTC timestamp format of the DOKU headers: <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset instant)
        => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Parses a DOKU timestamp: UTC with a <c>Z</c>, seconds precision, an optional fraction.</summary>
    public static bool TryParseTimestamp(string? value, out DateTimeOffset instant)
    {
        if (value is not null && DateTimeOffset.TryParseExact(value, TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
        {
            return true;
        }
        instant = default;
        return false;
    }
}
