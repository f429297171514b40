using System.Text.Json;
using Lunas.Protocol.Signing;
using Lunas.Server;
using Lunas.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>A real Lunas on a random 127.0.0.1 port, in this process, on its own fresh database.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string ClientId = "MCH-0001-10791114622547";
    public const string SecretKey = "SK-TESTKEY-1234567890";

    private readonly WebApplication _app;

    private TestServer(WebApplication app, string baseUrl, TestDatabase database, FakeTimeProvider clock)
    {
        _app = app;
        BaseUrl = baseUrl;
        Database = database;
        Clock = clock;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string BaseUrl { get; }
    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts Lunas. <paramref name="settings"/> are configuration keys (e.g. "Lunas:PublicBaseUrl").</summary>
    public static async Task<TestServer> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null,
        FakeTimeProvider? clock = null, bool configureMerchant = true, Action<WebApplicationBuilder>? configure = null)
    {
        clock ??= new FakeTimeProvider(DateTimeOffset.UtcNow);
        var args = new List<string> { "--urls", "http://127.0.0.1:0" };
        var all = new Dictionary<string, string?>(database.Settings);
        if (configureMerchant)
        {
            all["Lunas:Merchants:0:ClientId"] = ClientId;
            all["Lunas:Merchants:0:SecretKey"] = SecretKey;
            all["Lunas:Merchants:0:Name"] = "Toko Lunas Test";
        }
        all["Lunas:RequestLog"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        foreach (var (key, value) in all)
        {
            args.Add($"--{key}={value}");
        }
        var app = LunasApp.Build(args.ToArray(), builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await LunasApp.InitializeAsync(app);
        await app.StartAsync();
        var address = LunasApp.Addresses(app).First();
        return new TestServer(app, address, database, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Sends a signed POST of exactly these body bytes, stamped with the server's (fake) clock.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(string path, string body, string? requestId = null,
        Action<HttpRequestMessage>? tamper = null, string clientId = ClientId, string secretKey = SecretKey)
    {
        var message = SignedHttp.Request(path, body, requestId, Clock.GetUtcNow(), clientId, secretKey);
        tamper?.Invoke(message);
        return Http.SendAsync(message);
    }

    /// <summary>Sends a signed GET (the four-line form: no Digest).</summary>
    public Task<HttpResponseMessage> GetSignedAsync(string path, string? requestId = null)
        => Http.SendAsync(SignedHttp.Request(path, null, requestId, Clock.GetUtcNow()));

    public Task<HttpResponseMessage> CreatePaymentAsync(string body, string? requestId = null)
        => PostSignedAsync("/checkout/v1/payment", body, requestId);

    public async Task<long> CountAsync(string sql)
    {
        var database = Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task ExecuteAsync(string sql)
    {
        var database = Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync();
    }
}

public static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string[] Errors(JsonElement body)
        => body.GetProperty("error_messages").EnumerateArray().Select(e => e.GetString()!).ToArray();
}
