using System.Net.Sockets;
using System.Text;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written byte by byte over a socket, for what HttpClient refuses to send: non-ASCII or control bytes in a
/// header, a header twice, a path with raw bytes.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends the request and returns the status code of the answer (0 when the server closed without one).</summary>
    public static async Task<int> SendAsync(string baseUrl, string method, byte[] target, IEnumerable<(string Name, byte[] Value)> headers,
        byte[]? body = null, string contentType = "application/json")
    {
        var uri = new Uri(baseUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        await using var stream = client.GetStream();
        using var request = new MemoryStream();
        void Write(string text) => request.Write(Encoding.ASCII.GetBytes(text));
        Write(method + " ");
        request.Write(target);
        Write($" HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            Write(name + ": ");
            request.Write(value);
            Write("\r\n");
        }
        if (body is not null) Write($"Content-Type: {contentType}\r\nContent-Length: {body.Length}\r\n");
        Write("\r\n");
        if (body is not null) request.Write(body);
        await stream.WriteAsync(request.ToArray());
        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync() ?? "";
        var parts = statusLine.Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : 0;
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
