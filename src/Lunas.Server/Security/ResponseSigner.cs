using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Security;

/// <summary>Writes a JSON body with the DOKU response headers (Client-Id, Request-Id, Response-Timestamp, Signature).</summary>
public static class ResponseSigner
{
    public static Task WriteSignedAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, Authentication auth,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        var headers = response.Headers;
        if (auth.ClientId.Length > 0) headers[DokuHeaders.ClientId] = auth.ClientId;
        if (auth.RequestId.Length > 0) headers[DokuHeaders.RequestId] = auth.RequestId;
        var timestamp = DokuSignature.FormatTimestamp(clock.GetUtcNow());
        headers[DokuHeaders.ResponseTimestamp] = timestamp;
        // Without a known merchant there is no key to sign with; the other headers are still sent.
        if (auth.Merchant is { } merchant)
        {
            headers[DokuHeaders.Signature] = DokuSignature.Sign(merchant.SecretKey, auth.ClientId, auth.RequestId, timestamp,
                auth.Target ?? RequestAuthenticator.RequestTarget(context.Request), DokuSignature.Digest(body.Span),
                DokuHeaders.ResponseTimestamp);
        }
        return response.Body.WriteAsync(body, cancellationToken).AsTask();
    }
}
