using Lunas.Protocol.Signing;
using Microsoft.AspNetCore.Http;

namespace Lunas.Client;

/// <summary>
/// Checks that an HTTP notification comes from DOKU (or Lunas) for this merchant: all four headers present, the
/// <c>Client-Id</c> is this merchant's, the <c>Request-Timestamp</c> is within the tolerance of this machine's clock,
/// and the <c>Signature</c> matches the raw body bytes and the notification path under the Secret Key (compared in
/// constant time). Verify before parsing, over the bytes exactly as received.
/// </summary>
public sealed class DokuNotificationVerifier
{
    private readonly string _clientId;
    private readonly string _secretKey;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _clock;

    /// <summary>Creates a verifier for the merchant in <paramref name="options"/>.</summary>
    /// <param name="options">Client-Id, Secret Key and <see cref="DokuCheckoutOptions.NotificationTimestampTolerance"/>.</param>
    /// <param name="timeProvider">The clock the timestamp is compared with; the system clock when null.</param>
    public DokuNotificationVerifier(DokuCheckoutOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _clientId = options.ClientId;
        _secretKey = options.SecretKey;
        _tolerance = options.NotificationTimestampTolerance;
        _clock = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Verifies a notification received by ASP.NET Core.</summary>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="path">The path the notification was posted to, without the query (e.g. <c>/payments/notifications</c>).</param>
    public DokuVerificationResult Verify(IHeaderDictionary headers, ReadOnlySpan<byte> body, string path)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Verify(name => headers.TryGetValue(name, out var values)
            ? values.Count switch { 0 => "", 1 => values[0] ?? "", _ => null }
            : "", body, path);
    }

    /// <summary>Verifies a notification whose headers are in a dictionary (names are matched case-insensitively).</summary>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="path">The path the notification was posted to, without the query.</param>
    public DokuVerificationResult Verify(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string path)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Verify(name =>
        {
            string? found = null;
            var count = 0;
            foreach (var (key, value) in headers)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    found = value;
                    count++;
                }
            }
            return count switch { 0 => "", 1 => found ?? "", _ => null };
        }, body, path);
    }

    /// <summary>
    /// Verifies a notification given a header lookup that returns the single value of a header, <c>""</c> when it is
    /// absent and null when it appears more than once.
    /// </summary>
    /// <param name="header">The header lookup.</param>
    /// <param name="body">The raw body bytes, exactly as received.</param>
    /// <param name="path">The path the notification was posted to, without the query.</param>
    public DokuVerificationResult Verify(Func<string, string?> header, ReadOnlySpan<byte> body, string path)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path[0] != '/' || path.Contains('?'))
        {
            throw new ArgumentException("The path starts with / and has no query, e.g. /payments/notifications.", nameof(path));
        }

        var clientId = header(DokuHttpSigning.ClientIdHeader);
        var requestId = header(DokuHttpSigning.RequestIdHeader);
        var timestamp = header(DokuHttpSigning.RequestTimestampHeader);
        var signature = header(DokuHttpSigning.SignatureHeader);
        var duplicated = new[] { (DokuHttpSigning.ClientIdHeader, clientId), (DokuHttpSigning.RequestIdHeader, requestId),
            (DokuHttpSigning.RequestTimestampHeader, timestamp), (DokuHttpSigning.SignatureHeader, signature) };
        var repeated = duplicated.Where(h => h.Item2 is null).Select(h => h.Item1).ToList();
        if (repeated.Count > 0)
        {
            return DokuVerificationResult.Invalid($"header(s) sent more than once: {string.Join(", ", repeated)}");
        }
        var missing = duplicated.Where(h => string.IsNullOrWhiteSpace(h.Item2)).Select(h => h.Item1).ToList();
        if (missing.Count > 0)
        {
            return DokuVerificationResult.Invalid($"missing header(s): {string.Join(", ", missing)}");
        }
        if (!string.Equals(clientId, _clientId, StringComparison.Ordinal))
        {
            return DokuVerificationResult.Invalid($"Client-Id {clientId} is not this merchant's Client-Id");
        }
        if (!DokuSignature.TryParseTimestamp(timestamp, out var sentAt))
        {
            return DokuVerificationResult.Invalid($"Request-Timestamp {timestamp} is not UTC in the form yyyy-MM-ddTHH:mm:ssZ");
        }
        var now = _clock.GetUtcNow();
        if ((now - sentAt).Duration() > _tolerance)
        {
            return DokuVerificationResult.Invalid(
                $"Request-Timestamp {timestamp} is more than {_tolerance.TotalMinutes:0.##} minutes from this server's time {DokuSignature.FormatTimestamp(now)}");
        }
        if (!DokuSignature.IsWellFormed(signature))
        {
            return DokuVerificationResult.Invalid("Signature is not HMACSHA256= followed by the Base64 of an HMAC-SHA256");
        }
        return DokuSignature.Verify(_secretKey, clientId!, requestId!, timestamp!, path, DokuSignature.Digest(body), signature!)
            ? DokuVerificationResult.Valid
            : DokuVerificationResult.Invalid(
                $"Signature does not match the body, Request-Target {path} and this merchant's Secret Key");
    }
}
