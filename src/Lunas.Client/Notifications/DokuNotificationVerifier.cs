using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;
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

        var headers = new DokuSignedHeaders(header(DokuHeaders.ClientId), header(DokuHeaders.RequestId),
            header(DokuHeaders.RequestTimestamp), header(DokuHeaders.Signature));
        var repeated = Names(headers, static value => value is null);
        if (repeated.Length > 0)
        {
            return DokuVerificationResult.Invalid($"header(s) sent more than once: {repeated}");
        }
        var missing = Names(headers, string.IsNullOrWhiteSpace);
        if (missing.Length > 0)
        {
            return DokuVerificationResult.Invalid($"missing header(s): {missing}");
        }
        if (!string.Equals(headers.ClientId, _clientId, StringComparison.Ordinal))
        {
            return DokuVerificationResult.Invalid($"Client-Id {headers.ClientId} is not this merchant's Client-Id");
        }
        var check = DokuRequestCheck.Verify(headers, _secretKey, path, DokuSignature.Digest(body), _clock.GetUtcNow(), _tolerance);
        return check.Outcome switch
        {
            DokuCheckOutcome.Valid => DokuVerificationResult.Valid,
            DokuCheckOutcome.TimestampMalformed =>
                DokuVerificationResult.Invalid($"Request-Timestamp {headers.Timestamp} is not UTC in the form yyyy-MM-ddTHH:mm:ssZ"),
            DokuCheckOutcome.TimestampOutOfTolerance => DokuVerificationResult.Invalid(
                $"Request-Timestamp {headers.Timestamp} is more than {_tolerance.TotalMinutes:0.##} minutes from this server's time {DokuSignature.FormatTimestamp(check.Now)}"),
            DokuCheckOutcome.SignatureMalformed =>
                DokuVerificationResult.Invalid("Signature is not HMACSHA256= followed by the Base64 of an HMAC-SHA256"),
            DokuCheckOutcome.HeadersMissing => DokuVerificationResult.Invalid(string.Join("; ", DokuRequestCheck.Describe(check.Gaps))),
            _ => DokuVerificationResult.Invalid($"Signature does not match the body, Request-Target {path} and this merchant's Secret Key"),
        };
    }

    private static string Names(DokuSignedHeaders headers, Func<string?, bool> matches)
    {
        var names = new List<string>(4);
        if (matches(headers.ClientId)) names.Add(DokuHeaders.ClientId);
        if (matches(headers.RequestId)) names.Add(DokuHeaders.RequestId);
        if (matches(headers.Timestamp)) names.Add(DokuHeaders.RequestTimestamp);
        if (matches(headers.Signature)) names.Add(DokuHeaders.Signature);
        return string.Join(", ", names);
    }
}
