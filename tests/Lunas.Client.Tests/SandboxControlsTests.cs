using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>
/// The SDK's Lunas-only sandbox calls (clock, reset) against a real Lunas over HTTP. Each test resets the merchant
/// first, so the clock one test moved does not reach the next.
/// </summary>
public class SandboxControlsAgainstLunasTests(LunasFixture lunas) : IClassFixture<LunasFixture>
{
    [Fact]
    public async Task GetSandboxClockAsync_AnswersRealTime_WhenTheClockWasNeverMoved()
    {
        var client = lunas.Client();
        await client.ResetSandboxDataAsync();

        var clock = await client.GetSandboxClockAsync();

        Assert.Equal(TimeSpan.Zero, clock.Offset);
        Assert.True((clock.Now - DateTimeOffset.UtcNow).Duration() < TimeSpan.FromSeconds(5), $"now {clock.Now:O}");
    }

    [Fact]
    public async Task AdvanceSandboxClockAsync_ExpiresTheOrder_AndTheExpiredNotificationArrives()
    {
        var client = lunas.Client();
        await client.ResetSandboxDataAsync();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Basic(invoice));

        var clock = await client.AdvanceSandboxClockAsync(TimeSpan.FromMinutes(61));
        var status = await client.GetStatusAsync(invoice);

        Assert.Equal(TimeSpan.FromMinutes(61), clock.Offset);
        Assert.True((clock.Now - DateTimeOffset.UtcNow - TimeSpan.FromMinutes(61)).Duration() < TimeSpan.FromSeconds(5));
        Assert.Equal(DokuTransactionStatus.Expired, status.Transaction.Status);
        await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice && n.Transaction.Status == DokuTransactionStatus.Expired);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(1.5)]
    public async Task AdvanceSandboxClockAsync_ThrowsBeforeSending_WhenNotAPositiveWholeNumberOfSeconds(double seconds)
    {
        var stub = new StubDoku();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stub.Client().AdvanceSandboxClockAsync(TimeSpan.FromSeconds(seconds)));

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task AdvanceSandboxClockAsync_ThrowsLunasError_WhenMoreThanTenYears()
    {
        var client = lunas.Client();

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.AdvanceSandboxClockAsync(TimeSpan.FromDays(4000)));

        Assert.Equal(400, error.Status);
        Assert.StartsWith("advance_seconds ", Assert.Single(error.ErrorMessages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetSandboxDataAsync_RemovesTheMerchantsOrders_AndPutsTheClockBack()
    {
        var client = lunas.Client();
        await client.ResetSandboxDataAsync();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Basic(invoice));
        await lunas.SimulatePaymentAsync(invoice, "QRIS");
        await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice);
        await client.AdvanceSandboxClockAsync(TimeSpan.FromHours(1));

        var reset = await client.ResetSandboxDataAsync();

        Assert.Equal(1, reset.Removed!.Sessions);
        Assert.Equal(1, reset.Removed.PaymentAttempts);
        Assert.Equal(1, reset.Removed.Notifications);
        Assert.Equal(1, reset.Removed.NotificationAttempts);
        Assert.Equal(0, reset.Removed.PaymentOperations);
        Assert.Equal(TimeSpan.Zero, reset.Clock!.Offset);
        Assert.Equal(TimeSpan.Zero, (await client.GetSandboxClockAsync()).Offset);
        var gone = await Assert.ThrowsAsync<DokuApiException>(() => client.GetStatusAsync(invoice));
        Assert.Equal(404, gone.Status);
    }
}

/// <summary>The same calls against hosts that are not Lunas: a clear error, never a half-read answer.</summary>
public class SandboxControlsElsewhereTests
{
    public static TheoryData<string> Calls => ["clock", "advance", "reset"];

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task SandboxCall_ThrowsLunasOnlyError_WhenTheHostAnswers404(string call)
    {
        var stub = new StubDoku { Script = _ => new StubDoku.Answer(404, """{"message":"Not Found"}""", Signed: false) };

        var error = await Assert.ThrowsAsync<DokuApiException>(() => Call(stub.Client(), call));

        Assert.Equal(404, error.Status);
        Assert.StartsWith("this is a Lunas sandbox call; ", Assert.Single(error.ErrorMessages), StringComparison.Ordinal);
        Assert.Contains("The real DOKU has no such API", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task SandboxCall_ThrowsLunasOnlyError_WhenTheHostAnswersSomethingElse(string call)
    {
        var stub = StubDoku.Answering(200, """{"status":"ok"}""");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => Call(stub.Client(), call));

        Assert.StartsWith("this is a Lunas sandbox call; ", Assert.Single(error.ErrorMessages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxCall_SignsTheFourLineForm_WhenItHasNoBody()
    {
        var stub = new StubDoku { Script = _ => new StubDoku.Answer(404, "", Signed: false) };

        await Assert.ThrowsAsync<DokuApiException>(() => stub.Client().ResetSandboxDataAsync());

        var sent = stub.Single;
        Assert.Equal(HttpMethod.Delete, sent.Method);
        Assert.Equal(DokuCheckoutClient.SandboxDataPath, sent.Uri.AbsolutePath);
        var expected = Lunas.Protocol.Signing.DokuSignature.Sign(StubDoku.SecretKey, StubDoku.ClientId, sent.Header("Request-Id"),
            sent.Header("Request-Timestamp"), DokuCheckoutClient.SandboxDataPath, null);
        Assert.Equal(expected, sent.Header("Signature"));
    }

    private static Task Call(DokuCheckoutClient client, string call) => call switch
    {
        "clock" => client.GetSandboxClockAsync(),
        "advance" => client.AdvanceSandboxClockAsync(TimeSpan.FromMinutes(30)),
        _ => client.ResetSandboxDataAsync(),
    };
}
