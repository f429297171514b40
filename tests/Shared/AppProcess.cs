using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lunas.Tests.Shared;

/// <summary>
/// A built ASP.NET Core app (lunas.dll, the sample shop) as its own OS process on 127.0.0.1. Shared, as linked
/// source, by the test projects that start real processes.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> --urls http://127.0.0.1:<paramref name="port"/></c> and waits until <paramref name="probePath"/> answers.</summary>
    public static Task<AppProcess> StartAsync(string dll, int port, IDictionary<string, string> environment, string probePath,
        string workingDirectory)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built; build the test project first (it builds it).", dll);
        }
        return StartCommandAsync("dotnet", [dll], port, environment, probePath, workingDirectory);
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> and <c>--urls http://127.0.0.1:<paramref name="port"/></c>;
    /// with <paramref name="inheritEnvironment"/> false it sees <paramref name="environment"/> and nothing else.
    /// </summary>
    public static async Task<AppProcess> StartCommandAsync(string fileName, IEnumerable<string> arguments, int port,
        IDictionary<string, string> environment, string probePath, string workingDirectory, bool inheritEnvironment = true)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        var info = StartInfo(fileName, arguments, workingDirectory);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseUrl);
        if (!inheritEnvironment)
        {
            info.Environment.Clear();
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName);
        var app = new AppProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => { lock (app._output) app._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (app._output) app._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilListeningAsync(probePath);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>A start of <paramref name="fileName"/> without a shell, its output and errors redirected.</summary>
    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }

    private async Task WaitUntilListeningAsync(string probePath)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{BaseUrl} exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(BaseUrl + probePath);
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
        throw new TimeoutException($"nothing listened on {BaseUrl}:\n{Output}");
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
