using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>Lunas as a separate OS process (the built lunas.dll) on a test database, for tests that kill it or need a second one.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly AppProcess _app;

    private ServerProcess(AppProcess app) => _app = app;

    public string BaseUrl => _app.BaseUrl;
    public string Output => _app.Output;

    /// <summary>Starts Lunas with the database's settings, the test merchant and <paramref name="settings"/> as environment variables.</summary>
    public static async Task<ServerProcess> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null,
        bool configureMerchant = true, string? workingDirectory = null)
    {
        var all = new Dictionary<string, string?>(database.Settings);
        if (configureMerchant)
        {
            all["Lunas:Merchants:0:ClientId"] = TestServer.ClientId;
            all["Lunas:Merchants:0:SecretKey"] = TestServer.SecretKey;
            all["Lunas:Merchants:0:Name"] = "Toko Lunas Test";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var environment = all.Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        var app = await AppProcess.StartAsync(Paths.ServerDll, AppProcess.FreePort(), environment, "/healthz",
            workingDirectory ?? database.Directory ?? Path.GetTempPath());
        return new ServerProcess(app);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing. What was acknowledged must already be on disk.</summary>
    public void Kill() => _app.Kill();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    public static int FreePort() => AppProcess.FreePort();
}
