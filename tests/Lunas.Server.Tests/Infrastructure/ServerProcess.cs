using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>Lunas as a separate OS process (the built lunas.dll), for tests that kill it or need a second one.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public int Port => new Uri(BaseUrl).Port;
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<ServerProcess> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null,
        bool configureMerchant = true, string? workingDirectory = null)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? database.Directory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add(Paths.ServerDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseUrl);
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
        foreach (var (key, value) in all)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start lunas");
        var server = new ServerProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => { lock (server._output) server._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (server._output) server._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilListeningAsync();
        return server;
    }

    private async Task WaitUntilListeningAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"lunas exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(BaseUrl + "/checkout-link-v2/ping");
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"lunas did not listen on {BaseUrl}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing. What was acknowledged must already be on disk.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
