using System.Net;
using System.Text.RegularExpressions;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Console;

/// <summary>A browser-like client of the console: a cookie jar, no redirect following, and the form's antiforgery token.</summary>
public sealed partial class ConsoleClient : IDisposable
{
    public const string OperatorPassword = "operator-pass-123";

    private readonly HttpClient _http;

    /// <param name="cookies">Another client's jar, to go on with its session on another server (127.0.0.1 on any port).</param>
    public ConsoleClient(TestServer server, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies })
        {
            BaseAddress = new Uri(server.BaseUrl),
        };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    /// <summary>The antiforgery token of the page at <paramref name="path"/> (which also sets its cookie).</summary>
    public async Task<string> TokenAsync(string path = "/console/sign-in")
    {
        using var page = await _http.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {path} ({(int)page.StatusCode})");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string? token, params (string Name, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null) all.Add(new("__csrf", token));
        return await _http.PostAsync(path, new FormUrlEncodedContent(all));
    }

    public async Task<HttpResponseMessage> SignInAsync(string clientId, string secret)
        => await PostAsync("/console/sign-in", await TokenAsync(), ("client_id", clientId), ("secret", secret));

    /// <summary>Signs in and asserts the session was given.</summary>
    public async Task SignInOkAsync(string clientId = TestServer.ClientId, string secret = TestServer.SecretKey)
    {
        using var response = await SignInAsync(clientId, secret);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
