using System.Collections.Concurrent;
using Lunas.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Lunas.Client.Tests.Infrastructure;

/// <summary>
/// A real Lunas on a random 127.0.0.1 port in this process, on a fresh SQLite database, whose merchant's notifications
/// go to a receiver app built with the SDK's own <c>MapDokuNotifications</c>. Shared by the tests of a class; each test
/// uses its own invoice numbers.
/// </summary>
public class LunasFixture : IAsyncLifetime
{
    public const string ClientId = "MCH-SDK-TEST-0001";
    public const string SecretKey = "SK-SDK-TEST-0123456789abcdef";
    public const string NotificationPath = "/payments/notifications";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lunas-client-tests", Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<DokuNotification> _notifications = new();
    private readonly ConcurrentBag<HttpClient> _clients = [];
    private WebApplication? _lunas;
    private WebApplication? _receiver;

    public LunasFixture()
        : this(null)
    {
    }

    /// <summary>A Lunas, its receiver and the SDK clients it makes all on <paramref name="clock"/> (null: the system clock).</summary>
    protected LunasFixture(FakeTimeProvider? clock) => Clock = clock;

    /// <summary>The clock shared by Lunas, the receiver, the SDK clients and the simulator calls; null for the system clock.</summary>
    public FakeTimeProvider? Clock { get; }

    private DateTimeOffset Now => Clock?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    public string BaseUrl { get; private set; } = "";
    public string ReceiverUrl { get; private set; } = "";

    public IReadOnlyList<DokuNotification> Notifications => _notifications.ToArray();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);

        var receiver = WebApplication.CreateSlimBuilder();
        receiver.WebHost.UseUrls("http://127.0.0.1:0");
        receiver.Logging.ClearProviders();
        if (Clock is not null)
        {
            receiver.Services.AddSingleton<TimeProvider>(Clock);
        }
        receiver.Services.AddDokuCheckout(o =>
        {
            o.ClientId = ClientId;
            o.SecretKey = SecretKey;
        });
        _receiver = receiver.Build();
        _receiver.MapDokuNotifications(NotificationPath, (DokuNotification n, CancellationToken _) =>
        {
            _notifications.Enqueue(n);
            return Task.CompletedTask;
        });
        await _receiver.StartAsync();
        ReceiverUrl = LunasApp.Addresses(_receiver).First();

        var settings = new Dictionary<string, string>
        {
            ["Lunas:Database:Provider"] = "sqlite",
            ["ConnectionStrings:Lunas"] = $"Data Source={Path.Combine(_directory, "lunas.db")}",
            ["Lunas:Merchants:0:ClientId"] = ClientId,
            ["Lunas:Merchants:0:SecretKey"] = SecretKey,
            ["Lunas:Merchants:0:Name"] = "SDK Test Shop",
            ["Lunas:Merchants:0:NotificationUrl"] = ReceiverUrl + NotificationPath,
            ["Lunas:RequestLog"] = "false",
        };
        var args = new List<string> { "--urls", "http://127.0.0.1:0" };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        _lunas = LunasApp.Build(args.ToArray(), builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (Clock is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(Clock);
            }
        });
        await LunasApp.InitializeAsync(_lunas);
        await _lunas.StartAsync();
        BaseUrl = LunasApp.Addresses(_lunas).First();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        foreach (var app in new[] { _lunas, _receiver })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    public DokuCheckoutOptions Options(Action<DokuCheckoutOptions>? tweak = null)
    {
        var options = new DokuCheckoutOptions { BaseUrl = BaseUrl, ClientId = ClientId, SecretKey = SecretKey, RetryDelay = TimeSpan.FromMilliseconds(10) };
        tweak?.Invoke(options);
        return options;
    }

    /// <summary>An SDK client talking to this Lunas over real HTTP, optionally through <paramref name="handler"/>.</summary>
    public DokuCheckoutClient Client(Action<DokuCheckoutOptions>? tweak = null, DelegatingHandler? handler = null, TimeProvider? clock = null)
    {
        HttpMessageHandler pipeline = new SocketsHttpHandler();
        if (handler is not null)
        {
            handler.InnerHandler = pipeline;
            pipeline = handler;
        }
        var http = new HttpClient(pipeline);
        _clients.Add(http);
        return new DokuCheckoutClient(http, Options(tweak), clock ?? Clock);
    }

    /// <summary>Pays the newest session of <paramref name="invoice"/> through the simulator (signed by the SDK's signer).</summary>
    public async Task SimulatePaymentAsync(string invoice, string channel, string result = "SUCCESS")
    {
        var (status, text) = await TrySimulatePaymentAsync(invoice, channel, result);
        Assert.True(status is >= 200 and < 300, $"simulator: {status} {text}");
    }

    /// <summary>Asks the simulator to pay <paramref name="invoice"/>; the HTTP status and body of its answer.</summary>
    public async Task<(int Status, string Body)> TrySimulatePaymentAsync(string invoice, string channel, string result = "SUCCESS")
    {
        var body = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"invoice_number":"{{invoice}}","payment_method_type":"{{channel}}","result":"{{result}}"}""");
        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, BaseUrl + "/sandbox/v1/payments") { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        DokuHttpSigning.SignRequest(message, ClientId, SecretKey, DokuHttpSigning.NewRequestId(), Now, body);
        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits (real time, bounded) for the receiver to get a notification matching <paramref name="match"/>.</summary>
    public async Task<DokuNotification> WaitForNotificationAsync(Func<DokuNotification, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (_notifications.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no matching notification arrived; received: {string.Join(", ", _notifications.Select(n => n.Order.InvoiceNumber + "/" + n.Transaction.Status))}");
    }
}

/// <summary>
/// A <see cref="LunasFixture"/> on a fake clock that stands still until a test moves it, so a test can pass the card
/// settlement cut-off or an authorization's window without waiting.
/// </summary>
public sealed class ClockedLunasFixture() : LunasFixture(new FakeTimeProvider(DateTimeOffset.UtcNow));
