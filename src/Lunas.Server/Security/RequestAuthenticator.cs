using Lunas.Protocol.Signing;
using Lunas.Server.Merchants;
using Microsoft.Extensions.Primitives;

namespace Lunas.Server.Security;

/// <summary>What the DOKU headers of a request said, and whether they proved the caller.</summary>
public sealed class Authentication
{
    public required string ClientId { get; init; }
    public required string RequestId { get; init; }
    public Merchant? Merchant { get; init; }

    /// <summary>Base64 SHA-256 of the body as received (null for a request without body or one rejected early).</summary>
    public string? Digest { get; init; }

    /// <summary>Set when the request is rejected; says which check failed.</summary>
    public string? Error { get; init; }

    public bool Succeeded => Error is null && Merchant is not null;
}

/// <summary>
/// Verifies Client-Id, Request-Id, Request-Timestamp and Signature (spec section 1) over the raw body bytes.
/// </summary>
public sealed class RequestAuthenticator(MerchantStore merchants, LunasOptions options, TimeProvider clock)
{
    public async ValueTask<Authentication> AuthenticateAsync(HttpRequest request, ReadOnlyMemory<byte> body, bool hasBody,
        CancellationToken cancellationToken)
    {
        var result = await VerifyAsync(request, body, hasBody, cancellationToken);
        // Kept on the request, so an answer made outside the handler (a storage timeout's 503) is signed as well.
        request.HttpContext.Features.Set(result);
        return result;
    }

    private async ValueTask<Authentication> VerifyAsync(HttpRequest request, ReadOnlyMemory<byte> body, bool hasBody,
        CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        var clientId = Single(headers["Client-Id"]);
        var requestId = Single(headers["Request-Id"]);
        var timestamp = Single(headers[DokuSignature.RequestTimestamp]);
        var signature = Single(headers["Signature"]);

        var problems = new List<string>(2);
        if (string.IsNullOrEmpty(clientId)) problems.Add("Client-Id header must be filled");
        if (string.IsNullOrEmpty(requestId)) problems.Add("Request-Id header must be filled");
        else if (requestId.Length > DokuSignature.MaxRequestIdLength)
            problems.Add($"Request-Id header max length is {DokuSignature.MaxRequestIdLength}");
        if (string.IsNullOrEmpty(timestamp)) problems.Add("Request-Timestamp header must be filled");
        if (string.IsNullOrEmpty(signature)) problems.Add("Signature header must be filled");
        if (problems.Count > 0)
        {
            return Reject(clientId, requestId, null, string.Join("; ", problems));
        }

        var merchant = await merchants.FindAsync(clientId!, cancellationToken);
        if (!DokuSignature.TryParseTimestamp(timestamp, out var sentAt))
        {
            return Reject(clientId, requestId, merchant, "Request-Timestamp header must be UTC in the form yyyy-MM-ddTHH:mm:ssZ");
        }
        var now = clock.GetUtcNow();
        if ((now - sentAt).Duration() > options.TimestampTolerance)
        {
            return Reject(clientId, requestId, merchant,
                $"Request-Timestamp {timestamp} is more than {options.TimestampTolerance.TotalMinutes:0.##} minutes from the server time {DokuSignature.FormatTimestamp(now)}");
        }
        if (!DokuSignature.IsWellFormed(signature))
        {
            return Reject(clientId, requestId, merchant, "Signature header must be HMACSHA256= followed by the Base64 of an HMAC-SHA256");
        }
        if (merchant is null)
        {
            return Reject(clientId, requestId, null, $"Client-Id {clientId} is not a known merchant");
        }
        var digest = hasBody ? DokuSignature.Digest(body.Span) : null;
        var target = RequestTarget(request);
        if (!DokuSignature.Verify(merchant.SecretKey, clientId!, requestId!, timestamp!, target, digest, signature!))
        {
            return Reject(clientId, requestId, merchant,
                $"Signature does not match: sign Client-Id, Request-Id, Request-Timestamp, Request-Target:{target}"
                + (hasBody ? " and the Digest of the exact body bytes" : " (no Digest line: the request has no body)")
                + " with the merchant's Secret Key");
        }
        return new Authentication { ClientId = clientId!, RequestId = requestId!, Merchant = merchant, Digest = digest };
    }

    /// <summary>The Request-Target is the path as the client wrote it (still percent-encoded), without the query.</summary>
    public static string RequestTarget(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            var query = raw.IndexOf('?');
            return query < 0 ? raw : raw[..query];
        }
        return (request.PathBase + request.Path).ToString();
    }

    private static Authentication Reject(string? clientId, string? requestId, Merchant? merchant, string error)
        => new() { ClientId = clientId ?? "", RequestId = requestId ?? "", Merchant = merchant, Error = error };

    private static string? Single(StringValues values) => values.Count == 1 ? values[0]?.Trim() : null;
}
