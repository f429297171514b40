using System.Net.Http.Headers;
using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;

namespace Lunas.Client;

/// <summary>The outcome of checking a DOKU signature: valid, or the reason it is not.</summary>
/// <param name="IsValid">True when every check passed.</param>
/// <param name="Reason">Why the message was rejected; null when it is valid.</param>
public sealed record DokuVerificationResult(bool IsValid, string? Reason)
{
    /// <summary>The result of a message that passed every check.</summary>
    public static DokuVerificationResult Valid { get; } = new(true, null);

    /// <summary>A rejection with its reason.</summary>
    /// <param name="reason">Why the message was rejected.</param>
    public static DokuVerificationResult Invalid(string reason) => new(false, reason);
}

/// <summary>
/// DOKU's non-SNAP signature on HTTP messages: signs requests to any DOKU API (not only the ones
/// <see cref="DokuCheckoutClient"/> wraps) and verifies signed responses.
/// </summary>
public static class DokuHttpSigning
{
    /// <summary>The <c>Client-Id</c> header.</summary>
    public const string ClientIdHeader = DokuHeaders.ClientId;

    /// <summary>The <c>Request-Id</c> header.</summary>
    public const string RequestIdHeader = DokuHeaders.RequestId;

    /// <summary>The <c>Request-Timestamp</c> header of requests and notifications.</summary>
    public const string RequestTimestampHeader = DokuHeaders.RequestTimestamp;

    /// <summary>The <c>Response-Timestamp</c> header of signed responses.</summary>
    public const string ResponseTimestampHeader = DokuHeaders.ResponseTimestamp;

    /// <summary>The <c>Signature</c> header.</summary>
    public const string SignatureHeader = DokuHeaders.Signature;

    /// <summary>A new Request-Id: a GUID, as DOKU's own examples use.</summary>
    public static string NewRequestId() => Guid.NewGuid().ToString();

    /// <summary>
    /// Adds <c>Client-Id</c>, <c>Request-Id</c>, <c>Request-Timestamp</c> and <c>Signature</c> to
    /// <paramref name="request"/>. The Request-Target is the path of its (absolute) URI; <paramref name="body"/> must be
    /// exactly the bytes of its content, or null for a request without a body (then there is no Digest line).
    /// </summary>
    /// <param name="request">The request to sign; its <see cref="HttpRequestMessage.RequestUri"/> must be absolute.</param>
    /// <param name="clientId">The merchant's Client-Id.</param>
    /// <param name="secretKey">The merchant's Secret Key.</param>
    /// <param name="requestId">The Request-Id, at most 128 characters.</param>
    /// <param name="timestamp">The moment to put in <c>Request-Timestamp</c> (sent in UTC to the second).</param>
    /// <param name="body">The exact body bytes, or null for none.</param>
    public static void SignRequest(HttpRequestMessage request, string clientId, string secretKey, string requestId,
        DateTimeOffset timestamp, byte[]? body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        CheckRequestId(requestId);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            throw new ArgumentException("The request must have an absolute RequestUri: its path is the signed Request-Target.", nameof(request));
        }
        var stamp = DokuSignature.FormatTimestamp(timestamp);
        var signature = DokuSignature.Sign(secretKey, clientId, requestId, stamp, uri.AbsolutePath,
            body is null ? null : DokuSignature.Digest(body));
        var headers = request.Headers;
        headers.Remove(ClientIdHeader);
        headers.Remove(RequestIdHeader);
        headers.Remove(RequestTimestampHeader);
        headers.Remove(SignatureHeader);
        headers.TryAddWithoutValidation(ClientIdHeader, clientId);
        headers.TryAddWithoutValidation(RequestIdHeader, requestId);
        headers.TryAddWithoutValidation(RequestTimestampHeader, stamp);
        headers.TryAddWithoutValidation(SignatureHeader, signature);
    }

    /// <summary>
    /// Checks the <c>Signature</c> of a synchronous response: the lines are Client-Id and Request-Id of the request,
    /// the response's <c>Response-Timestamp</c>, the path that was called and the digest of the response body.
    /// </summary>
    /// <param name="headers">The response headers (Signature and Response-Timestamp are read).</param>
    /// <param name="body">The response body bytes exactly as received.</param>
    /// <param name="requestTarget">The path the request was sent to, e.g. <c>/checkout/v1/payment</c>.</param>
    /// <param name="clientId">The Client-Id the request was sent with.</param>
    /// <param name="requestId">The Request-Id the request was sent with.</param>
    /// <param name="secretKey">The merchant's Secret Key.</param>
    public static DokuVerificationResult VerifyResponse(HttpResponseHeaders headers, ReadOnlySpan<byte> body,
        string requestTarget, string clientId, string requestId, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return VerifyResponse(Single(headers, SignatureHeader), Single(headers, ResponseTimestampHeader), body,
            requestTarget, clientId, requestId, secretKey);
    }

    /// <summary>Checks a response signature given the header values.</summary>
    /// <param name="signature">The <c>Signature</c> header value.</param>
    /// <param name="responseTimestamp">The <c>Response-Timestamp</c> header value, verbatim.</param>
    /// <param name="body">The response body bytes exactly as received.</param>
    /// <param name="requestTarget">The path the request was sent to.</param>
    /// <param name="clientId">The Client-Id the request was sent with.</param>
    /// <param name="requestId">The Request-Id the request was sent with.</param>
    /// <param name="secretKey">The merchant's Secret Key.</param>
    public static DokuVerificationResult VerifyResponse(string? signature, string? responseTimestamp, ReadOnlySpan<byte> body,
        string requestTarget, string clientId, string requestId, string secretKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestTarget);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        if (string.IsNullOrEmpty(signature))
        {
            return DokuVerificationResult.Invalid("the response has no (single) Signature header");
        }
        if (string.IsNullOrEmpty(responseTimestamp))
        {
            return DokuVerificationResult.Invalid("the response is signed but has no Response-Timestamp header");
        }
        if (!DokuSignature.IsWellFormed(signature))
        {
            return DokuVerificationResult.Invalid("the response Signature is not HMACSHA256= followed by a Base64 HMAC-SHA256");
        }
        return DokuSignature.Verify(secretKey, clientId, requestId, responseTimestamp, requestTarget, DokuSignature.Digest(body),
                signature, DokuSignature.ResponseTimestamp)
            ? DokuVerificationResult.Valid
            : DokuVerificationResult.Invalid(
                $"the response Signature does not match its body, Request-Target {requestTarget}, Request-Id {requestId} and the Secret Key");
    }

    internal static void CheckRequestId(string requestId)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        if (requestId.Length > DokuSignature.MaxRequestIdLength)
        {
            throw new ArgumentException($"A Request-Id has at most {DokuSignature.MaxRequestIdLength} characters.", nameof(requestId));
        }
        if (requestId.Any(c => c < 0x21 || c > 0x7E))
        {
            throw new ArgumentException("A Request-Id is printable ASCII without spaces.", nameof(requestId));
        }
    }

    private static string? Single(HttpHeaders headers, string name)
        => headers.TryGetValues(name, out var values) && values.Take(2).ToList() is [var only] ? only : null;
}
