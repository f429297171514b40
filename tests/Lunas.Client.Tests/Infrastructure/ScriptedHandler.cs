using System.Net.Http.Headers;

namespace Lunas.Client.Tests.Infrastructure;

/// <summary>
/// Sits between the SDK and the network: records every request the SDK sends (headers and body) and lets a test
/// decide, per attempt, whether to forward it, fail it, or answer itself.
/// </summary>
public sealed class ScriptedHandler : DelegatingHandler
{
    public sealed record Sent(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[]? Body)
    {
        public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException(name);

        public static async Task<Sent> ReadAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            return new Sent(request.Method, request.RequestUri!, headers, body);
        }
    }

    private readonly List<Sent> _sent = [];

    /// <summary>
    /// Decides attempt n (1-based): call <c>forward()</c> to send it to the server. Default: forward.
    /// </summary>
    public Func<int, Func<Task<HttpResponseMessage>>, CancellationToken, Task<HttpResponseMessage>> Script { get; set; } = (_, forward, _) => forward();

    public IReadOnlyList<Sent> Requests { get { lock (_sent) return _sent.ToArray(); } }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = await Sent.ReadAsync(request, cancellationToken);
        int n;
        lock (_sent)
        {
            _sent.Add(sent);
            n = _sent.Count;
        }
        return await Script(n, () => base.SendAsync(request, cancellationToken), cancellationToken);
    }

    public static HttpResponseMessage Json(int status, string body, Action<HttpResponseHeaders>? headers = null)
    {
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)status)
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        headers?.Invoke(response.Headers);
        return response;
    }
}
