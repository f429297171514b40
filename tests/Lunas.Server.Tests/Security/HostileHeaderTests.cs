using System.Text;
using Lunas.Protocol.Signing;
using Lunas.Server.Merchants;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Security;

/// <summary>Every signed endpoint answers a 4xx, never a 5xx, whatever bytes its four signature headers carry.</summary>
public abstract class HostileHeaderTests : ServerTest
{
    private static readonly (string Method, string Path)[] SignedEndpoints =
    [
        ("POST", "/checkout/v1/payment"),
        ("GET", "/orders/v1/status/INV-1"),
        ("POST", "/sandbox/v1/payments"),
        ("POST", "/sandbox/v1/virtual-accounts/payments"),
        ("POST", "/sandbox/v1/convenience-stores/payments"),
        ("POST", "/sandbox/v1/qris/payments"),
        ("POST", "/sandbox/v1/cards/challenges"),
        ("GET", "/notifications/v1/invoices/INV-1"),
        ("POST", "/notifications/v1/0190a1b2c3d4/resend"),
    ];

    private static readonly string[] SignatureHeaders = ["Client-Id", "Request-Id", "Request-Timestamp", "Signature"];

    /// <summary>Ways to spoil one header value; null drops nothing but sends the header twice.</summary>
    private static readonly (string Name, Func<string, byte[]>? Spoil)[] Spoilers =
    [
        ("non-ASCII UTF-8", v => Encoding.UTF8.GetBytes(v + "ö€")),
        ("Latin-1 byte", v => [.. Encoding.ASCII.GetBytes(v), 0xFF]),
        ("29 KB", _ => Encoding.ASCII.GetBytes(new string('A', 29 * 1024))),
        ("control character", v => [.. Encoding.ASCII.GetBytes(v), 0x01, (byte)'x']),
        ("DEL", v => [.. Encoding.ASCII.GetBytes(v), 0x7F]),
        ("tab inside", v => Encoding.ASCII.GetBytes(v[..1] + "\t" + v[1..])),
        ("empty", _ => []),
        ("twice", null),
    ];

    [SkippableFact]
    public async Task SignedEndpoints_Answer4xx_ForHostileSignatureHeaders()
    {
        var failures = new List<string>();
        foreach (var (method, path) in SignedEndpoints)
        {
            var body = method == "POST" ? Encoding.UTF8.GetBytes("{\"invoice_number\":\"INV-1\"}") : null;
            var valid = SignedRequests.Headers(TestServer.ClientId, TestServer.SecretKey, Guid.NewGuid().ToString(),
                DokuSignature.FormatTimestamp(Server.Clock.GetUtcNow()), path, body);
            foreach (var target in SignatureHeaders)
            {
                foreach (var (name, spoil) in Spoilers)
                {
                    var headers = new List<(string, byte[])>();
                    foreach (var (header, value) in valid)
                    {
                        headers.Add((header, header == target && spoil is not null ? spoil(value) : RawHttp.Ascii(value)));
                        if (header == target && spoil is null) headers.Add((header, RawHttp.Ascii(value)));
                    }
                    var status = await RawHttp.SendAsync(Server.BaseUrl, method, RawHttp.Ascii(path), headers, body);
                    if (status is < 400 or > 499) failures.Add($"{method} {path} with {target} {name}: {status}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(0, Server.Services.GetRequiredService<MerchantStore>().UnknownCount);
    }

    [SkippableFact]
    public async Task CreatePayment_Returns401WithoutEchoingTheHeader_WhenClientIdIsNotAscii()
    {
        using var message = SignedHttp.Request("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()), at: Server.Clock.GetUtcNow());
        message.Headers.Remove("Client-Id");
        message.Headers.TryAddWithoutValidation("Client-Id", "MCH-\u00e9");
        using var http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            BaseAddress = new Uri(Server.BaseUrl),
        };

        using var response = await http.SendAsync(message);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Client-Id"));
        Assert.Contains("Client-Id header must be printable ASCII of at most 64 characters", Json.Errors(await Json.ReadAsync(response)));
        Assert.Equal(0, Server.Services.GetRequiredService<MerchantStore>().UnknownCount);
    }

    [SkippableFact]
    public async Task CreatePayment_Returns401AndCachesNothing_ForClientIdOver64Characters()
    {
        using var response = await Server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()),
            clientId: new string('C', 65));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Client-Id header must be printable ASCII of at most 64 characters", Json.Errors(await Json.ReadAsync(response)));
        Assert.Equal(0, Server.Services.GetRequiredService<MerchantStore>().UnknownCount);
    }

    [SkippableFact]
    public async Task FindAsync_RemembersAtMostABoundedSetOfUnknownIds_WhenFloodedWithMadeUpIds()
    {
        for (var i = 0; i < MerchantStore.MaxUnknown + 200; i++)
        {
            using var response = await Server.PostSignedAsync("/checkout/v1/payment", "{}", clientId: $"MCH-FAKE-{i}");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(MerchantStore.MaxUnknown, Server.Services.GetRequiredService<MerchantStore>().UnknownCount);
    }
}

public sealed class HostileHeaderTests_Sqlite : HostileHeaderTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class HostileHeaderTests_Postgres : HostileHeaderTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
