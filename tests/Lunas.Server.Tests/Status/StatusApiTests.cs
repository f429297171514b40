using System.Net;
using System.Text.Json;
using Lunas.Protocol.Signing;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Status;

/// <summary>The signed order status API: <c>GET /orders/v1/status/{invoice or request id}</c>.</summary>
public abstract class StatusApiTests : ServerTest
{
    [SkippableFact]
    public async Task Status_ReportsGeneratedOrderWithNullChannel_BeforeAChoice()
    {
        var order = await Server.CreateAsync();

        var status = await Server.StatusAsync(order.Invoice);

        Assert.Equal("PENDING", status.TransactionStatus());
        Assert.Equal("ORDER_GENERATED", status.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(20000, status.GetProperty("order").GetProperty("amount").GetInt64());
        Assert.Equal(order.RequestId, status.GetProperty("transaction").GetProperty("original_request_id").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("service").GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("acquirer").GetProperty("id").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("channel").GetProperty("id").ValueKind);
    }

    [SkippableFact]
    public async Task Status_FindsOrder_ByCheckoutRequestId()
    {
        var order = await Server.CreateAsync();

        var status = await Server.StatusAsync(order.RequestId);

        Assert.Equal(order.Invoice, status.GetProperty("order").GetProperty("invoice_number").GetString());
    }

    [SkippableFact]
    public async Task Status_Returns404WithErrorMessages_ForUnknownInvoice()
    {
        using var response = await Server.GetSignedAsync("/orders/v1/status/INV-NOPE");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(response)), e => e.Contains("INV-NOPE", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Status_Returns401_WhenSignedWithADigestLine()
    {
        var order = await Server.CreateAsync();
        var path = "/orders/v1/status/" + order.Invoice;
        var requestId = Guid.NewGuid().ToString();
        var stamp = DokuSignature.FormatTimestamp(Server.Clock.GetUtcNow());
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        message.Headers.Add("Client-Id", TestServer.ClientId);
        message.Headers.Add("Request-Id", requestId);
        message.Headers.Add("Request-Timestamp", stamp);
        message.Headers.Add("Signature", DokuSignature.SignBody(TestServer.SecretKey, TestServer.ClientId, requestId, stamp, path, [], hasBody: true));

        using var response = await Server.Http.SendAsync(message);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [SkippableFact]
    public async Task Status_AcceptsTheVectorsGetForm_Verbatim()
    {
        // The check-status-get vector was signed at 2020-08-11T08:45:42Z for invoice INV-20210231-0001.
        var vector = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.Shared, "spec", "signature-vectors.json")))
            .RootElement.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "check-status-get");
        var signedAt = DateTimeOffset.Parse(vector.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        using var database = CreateDatabase();
        await using var server = await TestServer.StartAsync(database, clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(signedAt));
        await server.CreateAsync(invoice: "INV-20210231-0001");
        using var message = new HttpRequestMessage(HttpMethod.Get, vector.GetProperty("request_target").GetString());
        message.Headers.Add("Client-Id", vector.GetProperty("client_id").GetString());
        message.Headers.Add("Request-Id", vector.GetProperty("request_id").GetString());
        message.Headers.Add("Request-Timestamp", vector.GetProperty("timestamp").GetString());
        message.Headers.Add("Signature", vector.GetProperty("signature").GetString());

        using var response = await server.Http.SendAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(DokuSignature.Verify(TestServer.SecretKey, TestServer.ClientId, vector.GetProperty("request_id").GetString()!,
            response.Headers.GetValues("Response-Timestamp").Single(), "/orders/v1/status/INV-20210231-0001",
            DokuSignature.Digest(body), response.Headers.GetValues("Signature").Single(), DokuSignature.ResponseTimestamp));
    }

    [SkippableTheory]
    [InlineData("INV/2026/", "INV%2F2026%2F")]
    [InlineData("INV%2F", "INV%252F")] // a literal "%2F" in the invoice, escaped once by the client
    [InlineData("INV 1+", "INV%201%2B")]
    public async Task Status_FindsTheInvoice_WhenItsNumberNeedsEscapingInThePath(string prefix, string escapedPrefix)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var order = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{prefix + suffix}}}"},"payment":{}}""");

        using var response = await Server.GetSignedAsync("/orders/v1/status/" + escapedPrefix + suffix);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(order.Invoice, (await Json.ReadAsync(response)).GetProperty("order").GetProperty("invoice_number").GetString());
    }
}

public sealed class StatusApiTests_Sqlite : StatusApiTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class StatusApiTests_Postgres : StatusApiTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
