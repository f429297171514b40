using System.Net.Http.Headers;
using System.Text;
using Lunas.Protocol.Signing;

namespace Lunas.Tests.Shared;

/// <summary>Signed requests (spec section 1) as the tests build them: the four headers over exactly the bytes sent.</summary>
public static class SignedRequests
{
    /// <summary>The signature headers: the body form (with its Digest line) for a body, the four-line form without one.</summary>
    public static Dictionary<string, string> Headers(string clientId, string secretKey, string requestId, string timestamp, string path,
        byte[]? body) => new()
    {
        ["Client-Id"] = clientId,
        ["Request-Id"] = requestId,
        ["Request-Timestamp"] = timestamp,
        ["Signature"] = body is null
            ? DokuSignature.Sign(secretKey, clientId, requestId, timestamp, path, null)
            : DokuSignature.SignBody(secretKey, clientId, requestId, timestamp, path, body, hasBody: true),
    };

    /// <summary>
    /// A JSON POST of exactly <paramref name="body"/>, or a GET when it is null, signed for <paramref name="path"/> and sent
    /// to <paramref name="url"/> (the path itself unless given); <paramref name="method"/> overrides the method (a DELETE).
    /// </summary>
    public static HttpRequestMessage Message(string clientId, string secretKey, string requestId, string timestamp, string path,
        string? body, string? url = null, HttpMethod? method = null)
    {
        var bytes = body is null ? null : Encoding.UTF8.GetBytes(body);
        var message = new HttpRequestMessage(method ?? (bytes is null ? HttpMethod.Get : HttpMethod.Post), url ?? path);
        if (bytes is not null)
        {
            message.Content = new ByteArrayContent(bytes);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        foreach (var (name, value) in Headers(clientId, secretKey, requestId, timestamp, path, bytes))
        {
            message.Headers.Add(name, value);
        }
        return message;
    }
}
