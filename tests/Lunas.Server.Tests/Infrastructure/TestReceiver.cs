using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>A merchant's notification receiver on 127.0.0.1 that records what arrives and answers as told.</summary>
public sealed class TestReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();
    private int _count;

    /// <summary>Decides the answer for the n-th request (1-based). Default: 200.</summary>
    public Func<int, HttpContext, Task> Respond { get; set; } = (_, context) =>
    {
        context.Response.StatusCode = 200;
        return context.Response.WriteAsync("OK");
    };

    private TestReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public IReadOnlyList<Received> Requests => _received.ToArray();

    public static async Task<TestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestReceiver? receiver = null;
        app.Run(async context =>
        {
            using var memory = new MemoryStream();
            await context.Request.Body.CopyToAsync(memory);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver!._received.Enqueue(new Received(context.Request.Path, context.Request.QueryString.Value ?? "", headers, memory.ToArray()));
            var n = Interlocked.Increment(ref receiver._count);
            await receiver.Respond(n, context);
        });
        await app.StartAsync();
        receiver = new TestReceiver(app, LunasApp.Addresses(app).First());
        return receiver;
    }

    /// <summary>Waits (real time, bounded) until at least <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (_received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.True(_received.Count >= count, $"expected {count} notification(s), received {_received.Count}");
        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// An independent DOKU signature check written from the spec text (not Lunas's signer): HMAC-SHA256 with the secret
    /// key over Client-Id, Request-Id, Request-Timestamp, Request-Target and Digest lines joined by \n.
    /// </summary>
    public static bool VerifyFromSpec(Received request, string secretKey, string expectedTarget)
    {
        var digest = Convert.ToBase64String(SHA256.HashData(request.Body));
        var text = "Client-Id:" + request.Headers["Client-Id"] + "\n"
                   + "Request-Id:" + request.Headers["Request-Id"] + "\n"
                   + "Request-Timestamp:" + request.Headers["Request-Timestamp"] + "\n"
                   + "Request-Target:" + expectedTarget + "\n"
                   + "Digest:" + digest;
        var expected = "HMACSHA256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(text)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Headers["Signature"]));
    }
}
