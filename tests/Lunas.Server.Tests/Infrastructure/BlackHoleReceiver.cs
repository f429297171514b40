using System.Net;
using System.Net.Sockets;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>A receiver on 127.0.0.1 that accepts connections and never answers (nor closes them).</summary>
public sealed class BlackHoleReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public BlackHoleReceiver()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int Connections
    {
        get { lock (_accepted) return _accepted.Count; }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted) _accepted.Add(socket);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits (real time, bounded) until at least <paramref name="count"/> connections were accepted.</summary>
    public async Task WaitForConnectionsAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Connections < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(Connections >= count, $"expected {count} connection(s) to the black hole, got {Connections}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_accepted)
        {
            foreach (var socket in _accepted) socket.Dispose();
        }
        _stop.Dispose();
    }
}
