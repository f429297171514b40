using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Lunas.Protocol.Signing;
using Lunas.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lunas.Client.Tests;

/// <summary><c>MapDokuNotifications</c> over real HTTP: 200 and the handler for a good notification, 401/400 otherwise.</summary>
public sealed class NotificationEndpointTests : IAsyncLifetime
{
    private const string ClientId = "MCH-ENDPOINT-0001";
    private const string SecretKey = "SK-ENDPOINT-0123456789";
    private const string Path = "/payments/notifications";
    private const string Body = """
        {"service":{"id":"VIRTUAL_ACCOUNT"},"acquirer":{"id":"BCA"},"channel":{"id":"VIRTUAL_ACCOUNT_BCA"},
         "order":{"invoice_number":"INV-77","amount":150000},
         "transaction":{"status":"SUCCESS","date":"2021-01-27T03:24:23Z","original_request_id":"req-77"},
         "virtual_account_info":{"virtual_account_number":"1900600000000046"}}
        """;

    private readonly ConcurrentQueue<DokuNotification> _handled = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    /// <summary>When set, the handler throws (a merchant bug or a database outage).</summary>
    private bool _handlerFails;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDokuCheckout(o =>
        {
            o.ClientId = ClientId;
            o.SecretKey = SecretKey;
        });
        _app = builder.Build();
        _app.MapDokuNotifications(Path, (DokuNotification n, CancellationToken _) =>
        {
            if (_handlerFails)
            {
                throw new InvalidOperationException("database is down");
            }
            _handled.Enqueue(n);
            return Task.CompletedTask;
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string body, string url = Path, string signedPath = Path, string secretKey = SecretKey,
        string requestId = "notif-1")
        => _http.SendAsync(SignedRequests.Message(ClientId, secretKey, requestId, DokuSignature.FormatTimestamp(DateTimeOffset.UtcNow),
            signedPath, body, url));

    [Fact]
    public async Task MapDokuNotifications_Answers200AndCallsHandler_WhenSignatureIsValid()
    {
        using var response = await PostAsync(Body, requestId: "notif-ok");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var n = Assert.Single(_handled);
        Assert.Equal("INV-77", n.Order.InvoiceNumber);
        Assert.Equal(150000, n.Order.Amount);
        Assert.True(n.IsPaid);
        Assert.Equal("1900600000000046", n.VirtualAccountInfo!.VirtualAccountNumber);
        Assert.Equal("notif-ok", n.RequestId);
        Assert.Equal(ClientId, n.ClientId);
        Assert.Equal(Body, n.RawJson);
    }

    [Fact]
    public async Task MapDokuNotifications_Answers401WithReasonAndSkipsHandler_WhenSignatureIsInvalid()
    {
        using var response = await PostAsync(Body, secretKey: "SK-FORGED");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Signature does not match", error.RootElement.GetProperty("error_messages")[0].GetString());
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task MapDokuNotifications_Answers401_WhenSignedForAnotherPath()
    {
        using var response = await PostAsync(Body, signedPath: "/somewhere/else");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task MapDokuNotifications_IgnoresTheQuery_WhenUrlHasOne()
    {
        using var response = await PostAsync(Body, url: Path + "?shop=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_handled);
    }

    [Fact]
    public async Task MapDokuNotifications_Answers400_WhenSignedBodyIsNotANotification()
    {
        using var response = await PostAsync("this is not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a DOKU notification", await response.Content.ReadAsStringAsync());
        Assert.Empty(_handled);
    }

    [Fact]
    public async Task MapDokuNotifications_Answers500_WhenHandlerThrows()
    {
        _handlerFails = true;

        using var response = await PostAsync(Body);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task MapDokuNotifications_ThrowsAtMapping_WhenAddDokuCheckoutWasNotCalled()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(
            () => app.MapDokuNotifications(Path, (DokuNotification _, CancellationToken _) => Task.CompletedTask));

        Assert.Contains("AddDokuCheckout", error.Message);
    }
}
