using System.Net.Http.Headers;
using System.Text;
using Lunas.Protocol.Signing;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>Merchant-signed requests (spec section 1) for any Lunas a test talks to, in-process or a separate process.</summary>
public static class SignedHttp
{
    /// <summary>A POST of exactly these body bytes, or a GET (four-line form) when <paramref name="body"/> is null.</summary>
    public static HttpRequestMessage Request(string path, string? body, string? requestId = null, DateTimeOffset? at = null,
        string clientId = TestServer.ClientId, string secretKey = TestServer.SecretKey)
    {
        requestId ??= Guid.NewGuid().ToString();
        var timestamp = DokuSignature.FormatTimestamp(at ?? DateTimeOffset.UtcNow);
        HttpRequestMessage message;
        string signature;
        if (body is null)
        {
            message = new HttpRequestMessage(HttpMethod.Get, path);
            signature = DokuSignature.Sign(secretKey, clientId, requestId, timestamp, path, null);
        }
        else
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            signature = DokuSignature.SignBody(secretKey, clientId, requestId, timestamp, path, bytes, hasBody: true);
        }
        message.Headers.Add("Client-Id", clientId);
        message.Headers.Add("Request-Id", requestId);
        message.Headers.Add("Request-Timestamp", timestamp);
        message.Headers.Add("Signature", signature);
        return message;
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient http, string path, string body, string? requestId = null)
        => http.SendAsync(Request(path, body, requestId));

    public static Task<HttpResponseMessage> GetSignedAsync(this HttpClient http, string path)
        => http.SendAsync(Request(path, null));
}
