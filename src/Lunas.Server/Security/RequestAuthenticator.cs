using System.Diagnostics.CodeAnalysis;
using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;
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

    /// <summary>The Request-Target the signature verified over (the path, or one of the route's alternatives).</summary>
    public string? Target { get; init; }

    /// <summary>Set when the request is rejected; says which check failed.</summary>
    public string? Error { get; init; }

    [MemberNotNullWhen(true, nameof(Merchant))]
    public bool Succeeded => Error is null && Merchant is not null;
}

/// <summary>
/// Verifies Client-Id, Request-Id, Request-Timestamp and Signature (spec section 1) over the raw body bytes, in two
/// steps: <see cref="CheckHeaders"/> looks at the headers alone (no lookup, no body), <see cref="AuthenticateAsync"/>
/// then finds the merchant and checks the signature.
/// </summary>
public sealed class RequestAuthenticator(MerchantStore merchants, LunasOptions options, TimeProvider clock)
{
    /// <summary>The four headers; a rejection when their shape, the timestamp or the signature's form is wrong.</summary>
    public (DokuSignedHeaders Headers, Authentication? Rejection) CheckHeaders(HttpRequest request)
    {
        var h = request.Headers;
        var headers = new DokuSignedHeaders(Single(h[DokuHeaders.ClientId]), Single(h[DokuHeaders.RequestId]),
            Single(h[DokuHeaders.RequestTimestamp]), Single(h[DokuHeaders.Signature]));
        var check = DokuRequestCheck.CheckShape(headers, clock.GetUtcNow(), options.TimestampTolerance);
        return (headers, check.IsValid ? null : Reject(headers, check.Gaps, null, Message(check, headers, request, false)));
    }

    /// <summary>
    /// Finds the merchant of headers that passed <see cref="CheckHeaders"/> and verifies the signature over the body. A
    /// disabled merchant is an unknown one. The result is kept on the request, so an answer made outside the handler (a
    /// storage timeout's 503) is signed as well.
    /// </summary>
    /// <param name="alternativeTargets">Other Request-Targets a signature of this route may be made over (DOKU's own
    /// samples sign one path and call another).</param>
    public async ValueTask<Authentication> AuthenticateAsync(HttpRequest request, DokuSignedHeaders headers,
        ReadOnlyMemory<byte> body, bool hasBody, CancellationToken cancellationToken, IReadOnlyList<string>? alternativeTargets = null)
    {
        var merchant = await merchants.FindAsync(headers.ClientId!, cancellationToken) is { Disabled: false } found ? found : null;
        var digest = hasBody ? DokuSignature.Digest(body.Span) : null;
        var target = RequestTarget(request);
        var check = DokuRequestCheck.Verify(headers, merchant?.SecretKey, target, digest, clock.GetUtcNow(), options.TimestampTolerance);
        if (check.Outcome == DokuCheckOutcome.SignatureMismatch && merchant is not null)
        {
            (check, target, merchant) = TryOtherwise(headers, merchant, target, alternativeTargets, digest, check);
        }
        var result = check.IsValid
            ? new Authentication { ClientId = headers.ClientId!, RequestId = headers.RequestId!, Merchant = merchant, Digest = digest, Target = target }
            : Reject(headers, check.Gaps, merchant, Message(check, headers, request, hasBody));
        request.HttpContext.Features.Set(result);
        return result;
    }

    /// <summary>
    /// A signature that did not match may still be good over one of the route's other Request-Targets, or with the
    /// previous key inside a rotation's overlap; the answer is then signed over that target with that key.
    /// </summary>
    private (DokuCheck, string, Merchant) TryOtherwise(DokuSignedHeaders headers, Merchant merchant, string target,
        IReadOnlyList<string>? alternativeTargets, string? digest, DokuCheck failed)
    {
        var now = clock.GetUtcNow();
        string?[] keys = [merchant.SecretKey, merchant.PreviousKeyAt(now)];
        foreach (var key in keys)
        {
            if (key is null) continue;
            foreach (var candidate in (IEnumerable<string>)[target, .. alternativeTargets ?? []])
            {
                if (key == merchant.SecretKey && candidate == target) continue;
                var again = DokuRequestCheck.Verify(headers, key, candidate, digest, now, options.TimestampTolerance);
                if (again.Outcome == DokuCheckOutcome.Valid) return (again, candidate, merchant with { SecretKey = key });
            }
        }
        return (failed, target, merchant);
    }

    private string Message(DokuCheck check, DokuSignedHeaders headers, HttpRequest request, bool hasBody) => check.Outcome switch
    {
        DokuCheckOutcome.HeadersMissing => string.Join("; ", DokuRequestCheck.Describe(check.Gaps)),
        DokuCheckOutcome.TimestampMalformed => "Request-Timestamp header must be UTC in the form yyyy-MM-ddTHH:mm:ssZ",
        DokuCheckOutcome.TimestampOutOfTolerance =>
            $"Request-Timestamp {headers.Timestamp} is more than {options.TimestampTolerance.TotalMinutes:0.##} minutes from the server time {DokuSignature.FormatTimestamp(check.Now)}",
        DokuCheckOutcome.SignatureMalformed => "Signature header must be HMACSHA256= followed by the Base64 of an HMAC-SHA256",
        DokuCheckOutcome.UnknownClient => $"Client-Id {headers.ClientId} is not a known merchant",
        _ => $"Signature does not match: sign Client-Id, Request-Id, Request-Timestamp, Request-Target:{RequestTarget(request)}"
             + (hasBody ? " and the Digest of the exact body bytes" : " (no Digest line: the request has no body)")
             + " with the merchant's Secret Key",
    };

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

    /// <summary>A rejection that echoes only well-formed ids: Kestrel refuses to send a header value that is not ASCII.</summary>
    private static Authentication Reject(DokuSignedHeaders headers, DokuHeaderGaps gaps, Merchant? merchant, string error) => new()
    {
        ClientId = (gaps & (DokuHeaderGaps.ClientId | DokuHeaderGaps.ClientIdMalformed)) == 0 ? headers.ClientId ?? "" : "",
        RequestId = (gaps & (DokuHeaderGaps.RequestId | DokuHeaderGaps.RequestIdTooLong | DokuHeaderGaps.RequestIdMalformed)) == 0
            ? headers.RequestId ?? "" : "",
        Merchant = merchant,
        Error = error,
    };

    private static string? Single(StringValues values) => values.Count == 1 ? values[0]?.Trim() : null;
}
