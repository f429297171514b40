using Lunas.Protocol.Signing;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>Merchant-signed requests (spec section 1) for any Lunas a test talks to, in-process or a separate process.</summary>
public static class SignedHttp
{
    /// <summary>
    /// A POST of exactly these body bytes, or a GET (four-line form) when <paramref name="body"/> is null;
    /// <paramref name="method"/> overrides the method (a bodiless DELETE signs the four-line form too).
    /// </summary>
    public static HttpRequestMessage Request(string path, string? body, string? requestId = null, DateTimeOffset? at = null,
        string clientId = TestServer.ClientId, string secretKey = TestServer.SecretKey, HttpMethod? method = null)
        => SignedRequests.Message(clientId, secretKey, requestId ?? Guid.NewGuid().ToString(),
            DokuSignature.FormatTimestamp(at ?? DateTimeOffset.UtcNow), path, body, method: method);

    public static Task<HttpResponseMessage> PostAsync(this HttpClient http, string path, string body, string? requestId = null)
        => http.SendAsync(Request(path, body, requestId));

    public static Task<HttpResponseMessage> GetSignedAsync(this HttpClient http, string path)
        => http.SendAsync(Request(path, null));

    public static Task<HttpResponseMessage> DeleteSignedAsync(this HttpClient http, string path)
        => http.SendAsync(Request(path, null, method: HttpMethod.Delete));
}
