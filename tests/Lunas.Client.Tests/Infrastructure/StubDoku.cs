using System.Text;
using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;

namespace Lunas.Client.Tests.Infrastructure;

/// <summary>
/// DOKU played by a stub <see cref="HttpMessageHandler"/>, for unit tests of the SDK's calls with no server: records
/// what the SDK sends and answers each attempt from a script, signing the answer as DOKU does (over the path called, the
/// request's Client-Id and Request-Id, and the body).
/// </summary>
public sealed class StubDoku : HttpMessageHandler
{
    public const string ClientId = "MCH-STUB-0001";
    public const string SecretKey = "SK-STUB-0123456789";
    public const string BaseUrl = "https://api-sandbox.doku.com";

    public sealed record Answer(int Status, string Body, bool Signed = true, string? SignWithKey = null);

    private readonly List<ScriptedHandler.Sent> _sent = [];

    /// <summary>Answers attempt n (1-based); default: 200 with <c>{}</c>.</summary>
    public Func<int, Answer> Script { get; set; } = _ => new Answer(200, "{}");

    public IReadOnlyList<ScriptedHandler.Sent> Requests { get { lock (_sent) return _sent.ToArray(); } }

    public ScriptedHandler.Sent Single => Assert.Single(Requests);

    /// <summary>Every attempt answered with <paramref name="status"/> and <paramref name="body"/>, signed.</summary>
    public static StubDoku Answering(int status, string body) => new() { Script = _ => new Answer(status, body) };

    public DokuCheckoutClient Client(Action<DokuCheckoutOptions>? tweak = null)
    {
        var options = new DokuCheckoutOptions { BaseUrl = BaseUrl, ClientId = ClientId, SecretKey = SecretKey, RetryDelay = TimeSpan.Zero };
        tweak?.Invoke(options);
        return new DokuCheckoutClient(new HttpClient(this), options);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = await ScriptedHandler.Sent.ReadAsync(request, cancellationToken);
        int n;
        lock (_sent)
        {
            _sent.Add(sent);
            n = _sent.Count;
        }
        var answer = Script(n);
        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status) { Content = new ByteArrayContent(bytes) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (answer.Signed)
        {
            var stamp = DokuSignature.FormatTimestamp(DateTimeOffset.UtcNow);
            var requestId = sent.Header(DokuHeaders.RequestId);
            response.Headers.TryAddWithoutValidation(DokuHeaders.ClientId, ClientId);
            response.Headers.TryAddWithoutValidation(DokuHeaders.RequestId, requestId);
            response.Headers.TryAddWithoutValidation(DokuHeaders.ResponseTimestamp, stamp);
            response.Headers.TryAddWithoutValidation(DokuHeaders.Signature, DokuSignature.SignBody(answer.SignWithKey ?? SecretKey,
                ClientId, requestId, stamp, request.RequestUri!.AbsolutePath, bytes, hasBody: true, DokuSignature.ResponseTimestamp));
        }
        return response;
    }

    /// <summary>Checks the attempt carries DOKU's four signature headers, signed over its path and body with the stub's key.</summary>
    public static void AssertSigned(ScriptedHandler.Sent sent, string path)
    {
        Assert.Equal(path, sent.Uri.AbsolutePath);
        Assert.Equal(ClientId, sent.Header(DokuHeaders.ClientId));
        var expected = DokuSignature.Sign(SecretKey, ClientId, sent.Header(DokuHeaders.RequestId), sent.Header(DokuHeaders.RequestTimestamp),
            path, DokuSignature.Digest(sent.Body!));
        Assert.Equal(expected, sent.Header(DokuHeaders.Signature));
        Assert.Equal("application/json", sent.Header("Content-Type"));
    }
}
