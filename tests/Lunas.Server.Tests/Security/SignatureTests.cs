using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Lunas.Protocol.Signing;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Security;

public abstract class SignatureTests : ServerTest
{
    private const string Path = "/checkout/v1/payment";

    private async Task AssertRejectedAsync(HttpResponseMessage response, string expectedFragment)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await Json.ReadAsync(response);
        var errors = Json.Errors(body);
        Assert.Contains(errors, e => e.Contains(expectedFragment, StringComparison.Ordinal));
        Assert.Equal(errors, body.GetProperty("message").EnumerateArray().Select(m => m.GetString()!));
        Assert.True(response.Headers.Contains("Response-Timestamp"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM checkout_sessions"));
    }

    [SkippableTheory]
    [InlineData("Client-Id")]
    [InlineData("Request-Id")]
    [InlineData("Request-Timestamp")]
    [InlineData("Signature")]
    public async Task CreatePayment_Returns401_WhenHeaderMissing(string header)
    {
        using var response = await Server.PostSignedAsync(Path, Seed.BasicRequest(Seed.NewInvoice()),
            tamper: m => m.Headers.Remove(header));

        await AssertRejectedAsync(response, $"{header} header must be filled");
    }

    [SkippableFact]
    public async Task CreatePayment_Returns401_ForUnknownClientId()
    {
        using var response = await Server.PostSignedAsync(Path, Seed.BasicRequest(Seed.NewInvoice()), clientId: "MCH-NOPE-1");

        await AssertRejectedAsync(response, "Client-Id MCH-NOPE-1 is not a known merchant");
    }

    [SkippableFact]
    public async Task CreatePayment_Returns401AndSignsResponse_ForWrongSecretKey()
    {
        using var response = await Server.PostSignedAsync(Path, Seed.BasicRequest(Seed.NewInvoice()), secretKey: "SK-WRONG");

        await AssertRejectedAsync(response, "Signature does not match");
        Assert.True(response.Headers.Contains("Signature"));
    }

    [SkippableFact]
    public async Task CreatePayment_Returns401_WhenBodyTamperedAfterSigning()
    {
        var body = Seed.BasicRequest(Seed.NewInvoice());
        using var response = await Server.PostSignedAsync(Path, body, tamper: m =>
        {
            m.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.Replace("20000", "20", StringComparison.Ordinal)));
            m.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        });

        await AssertRejectedAsync(response, "Signature does not match");
    }

    [SkippableFact]
    public async Task CreatePayment_Returns401_ForRequestIdOver128Characters()
    {
        using var response = await Server.PostSignedAsync(Path, Seed.BasicRequest(Seed.NewInvoice()), requestId: new string('r', 129));

        await AssertRejectedAsync(response, "Request-Id header max length is 128");
    }

    [SkippableFact]
    public async Task CreatePayment_Accepts_RequestIdOfExactly128Characters()
    {
        using var response = await Server.PostSignedAsync(Path, Seed.BasicRequest(Seed.NewInvoice()), requestId: new string('r', 128));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableTheory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task CreatePayment_Returns401_WhenTimestampOutsideTolerance(int minutes)
    {
        var body = Seed.BasicRequest(Seed.NewInvoice());
        var requestId = Guid.NewGuid().ToString();
        var stamp = DokuSignature.FormatTimestamp(Server.Clock.GetUtcNow().AddMinutes(minutes));
        using var response = await Server.PostSignedAsync(Path, body, requestId, m =>
        {
            m.Headers.Remove("Request-Timestamp");
            m.Headers.Add("Request-Timestamp", stamp);
            m.Headers.Remove("Signature");
            m.Headers.Add("Signature", DokuSignature.SignBody(TestServer.SecretKey, TestServer.ClientId, requestId, stamp, Path,
                Encoding.UTF8.GetBytes(body), hasBody: true));
        });

        await AssertRejectedAsync(response, "minutes from the server time");
    }

    [SkippableFact]
    public async Task CreatePayment_Accepts_TimestampWithFractionWithinTolerance()
    {
        var body = Seed.BasicRequest(Seed.NewInvoice());
        var requestId = Guid.NewGuid().ToString();
        var stamp = Server.Clock.GetUtcNow().AddMinutes(-4).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'.123Z'",
            System.Globalization.CultureInfo.InvariantCulture);
        using var response = await Server.PostSignedAsync(Path, body, requestId, m =>
        {
            m.Headers.Remove("Request-Timestamp");
            m.Headers.Add("Request-Timestamp", stamp);
            m.Headers.Remove("Signature");
            m.Headers.Add("Signature", DokuSignature.SignBody(TestServer.SecretKey, TestServer.ClientId, requestId, stamp, Path,
                Encoding.UTF8.GetBytes(body), hasBody: true));
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableTheory]
    [InlineData("2020-08-11 08:45:42")]
    [InlineData("1597135542")]
    public async Task CreatePayment_Returns401_ForMalformedTimestamp(string stamp)
    {
        using var response = await Server.PostSignedAsync(Path, Seed.BasicRequest(Seed.NewInvoice()), tamper: m =>
        {
            m.Headers.Remove("Request-Timestamp");
            m.Headers.Add("Request-Timestamp", stamp);
        });

        await AssertRejectedAsync(response, "Request-Timestamp header must be UTC");
    }

    [SkippableTheory]
    [InlineData("xv0MfOrYeLRgJboFkHbs/ou0DgLVuf3dvW00g1Juw3U=")]
    [InlineData("HMACSHA256=not-base64!!")]
    [InlineData("HMACSHA256=AAAA")]
    public async Task CreatePayment_Returns401_ForMalformedSignature(string signature)
    {
        using var response = await Server.PostSignedAsync(Path, Seed.BasicRequest(Seed.NewInvoice()), tamper: m =>
        {
            m.Headers.Remove("Signature");
            m.Headers.Add("Signature", signature);
        });

        await AssertRejectedAsync(response, "Signature header must be HMACSHA256=");
    }

    [SkippableFact]
    public async Task CreatePayment_Returns401_ForSignatureWithTrailingNewline()
    {
        var body = Seed.BasicRequest(Seed.NewInvoice());
        var requestId = Guid.NewGuid().ToString();
        using var response = await Server.PostSignedAsync(Path, body, requestId, m =>
        {
            var stamp = m.Headers.GetValues("Request-Timestamp").Single();
            var text = DokuSignature.StringToSign(TestServer.ClientId, requestId, stamp, Path, DokuSignature.Digest(Encoding.UTF8.GetBytes(body))) + "\n";
            var mac = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestServer.SecretKey), Encoding.UTF8.GetBytes(text));
            m.Headers.Remove("Signature");
            m.Headers.Add("Signature", "HMACSHA256=" + Convert.ToBase64String(mac));
        });

        await AssertRejectedAsync(response, "Signature does not match");
    }
}

public sealed class SignatureTests_Sqlite : SignatureTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class SignatureTests_Postgres : SignatureTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
