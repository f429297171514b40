using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>
/// The post-payment calls' failures against a stub DOKU: each error shape into a typed <see cref="DokuApiException"/>,
/// validation before anything is sent, 409 replays, retries with the same Request-Id, and response signatures.
/// </summary>
public class PostPaymentErrorTests
{
    public sealed record Call(string Name, string Path, Func<DokuCheckoutClient, string, Task<DokuOperationResult>> Run)
    {
        public override string ToString() => Name;
    }

    private static readonly DokuIdentifier[] Ids = [new() { Name = "TRANSACTION_SN", Value = "000000012345678" }];

    private static readonly Call[] AllCalls =
    [
        new("cancel", "/checkout/v3/cancellations", async (c, id) => await c.CancelOrderAsync(new CancelOrderRequest { InvoiceNumber = "INV-1" }, id)),
        new("capture", "/credit-card/capture", async (c, id) => await c.CaptureAsync(new CaptureRequest { AuthorizeId = "A-1" }, id)),
        new("card refund", "/cancellation/credit-card/refund", async (c, id) =>
            await c.RefundCardAsync(new CardRefundRequest { InvoiceNumber = "INV-1", OriginalRequestId = "r-1", Amount = 1000 }, id)),
        new("shopeepay refund", "/shopeepay-emoney/v2/refund", async (c, id) =>
            await c.RefundShopeePayAsync(new ShopeePayRefundRequest { InvoiceNumber = "INV-1", Identifiers = [.. Ids] }, id)),
        new("akulaku refund", "/akulaku-peer-to-peer/v2/refund", async (c, id) =>
            await c.RefundAkulakuAsync(new AkulakuRefundRequest { InvoiceNumber = "INV-1", Identifiers = [.. Ids], RefundReference = "RF-1" }, id)),
    ];

    /// <summary>A body each call takes as its success answer.</summary>
    private static string SuccessBody(Call call) => call.Name switch
    {
        "cancel" => """{"order":{"invoice_number":"INV-1","status":"ORDER_CANCELLED"},"cancellation":{"status":"SUCCESS"},"message":["SUCCESS"]}""",
        "capture" => """{"payment":{"status":"SUCCESS","authorize_id":"A-1"}}""",
        _ => """{"order":{"invoice_number":"INV-1"},"refund":{"amount":1000,"type":"FULL_REFUND","status":"SUCCESS"}}""",
    };

    public static TheoryData<Call> Calls => [.. AllCalls];

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_ThrowsWithErrorCodeTypeAndMessage_WhenDokuAnswersDirectApiError(Call call)
    {
        var doku = StubDoku.Answering(400, """
            {"error":{"code":"INVALID_STATE","message":"Transaction already captured","type":"Invalid Request"},"message":["Transaction already captured"]}
            """);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => call.Run(doku.Client(), "req-1"));

        Assert.IsNotType<DokuValidationException>(error);
        Assert.Equal(400, error.Status);
        Assert.Equal(DokuErrorCodes.InvalidState, error.ErrorCode);
        Assert.Equal("Invalid Request", error.ErrorType);
        Assert.Equal(["Transaction already captured"], error.ErrorMessages);
        Assert.Equal("req-1", error.RequestId);
        Assert.Contains("INVALID_STATE", error.ResponseBody);
        Assert.False(error.IsTransient);
        Assert.Equal(call.Path, doku.Single.Uri.AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_ThrowsNotFound_WhenDokuAnswers404WithoutMessageList(Call call)
    {
        var doku = StubDoku.Answering(404, """{"error":{"code":"NOT_FOUND","message":"order.invoice_number INV-1 not found","type":"Not Found"}}""");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => call.Run(doku.Client(), "req-2"));

        Assert.Equal((404, DokuErrorCodes.NotFound), (error.Status, error.ErrorCode));
        Assert.Equal(["order.invoice_number INV-1 not found"], error.ErrorMessages);
    }

    [Fact]
    public async Task CancelOrderAsync_ThrowsWithMessageAndNoCode_WhenMerchantHasNotActivatedCancel()
    {
        // The one cancel error seen on real DOKU: an error object with a message only.
        var doku = StubDoku.Answering(400, """{"error":{"message":"Merchant not support cancel order, please do activation through DOKU dashboard."}}""");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => AllCalls[0].Run(doku.Client(), "req-3"));

        Assert.Null(error.ErrorCode);
        Assert.Null(error.ErrorType);
        Assert.Equal(["Merchant not support cancel order, please do activation through DOKU dashboard."], error.ErrorMessages);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_ThrowsWithTheGatewaysError_WhenDokuAnswersSpring500(Call call)
    {
        var doku = StubDoku.Answering(500, """{"timestamp":"2021-01-18T07:00:00.000+0000","status":"500","error":"Internal Server Error","path":"/x"}""");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => call.Run(doku.Client(o => o.MaxRetries = 0), "req-4"));

        Assert.Equal(500, error.Status);
        Assert.Null(error.ErrorCode);
        Assert.Equal(["Internal Server Error"], error.ErrorMessages);
    }

    [Fact]
    public async Task CaptureAsync_ReadsErrorMessages_WhenAnswerUsesCheckoutShape()
    {
        var doku = StubDoku.Answering(401, """{"error_messages":["Signature does not match"]}""");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => AllCalls[1].Run(doku.Client(), "req-5"));

        Assert.Equal((401, (string?)null), (error.Status, error.ErrorCode));
        Assert.Equal(["Signature does not match"], error.ErrorMessages);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_ReturnsReplayedOriginalAnswer_WhenDokuAnswers409WithTheSuccessBody(Call call)
    {
        var doku = StubDoku.Answering(409, SuccessBody(call));

        var result = await call.Run(doku.Client(), "refund-once");

        Assert.True(result.Replayed);
        Assert.Equal("refund-once", result.RequestId);
        Assert.Equal(SuccessBody(call), result.RawJson);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_Throws409_WhenSameRequestIdCarriesAnotherBody(Call call)
    {
        var doku = StubDoku.Answering(409, """
            {"error":{"code":"INVALID_PARAMETER","message":"Request-Id req-6 was already used with a different body","type":"Invalid Parameter"},"message":["Request-Id req-6 was already used with a different body"]}
            """);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => call.Run(doku.Client(), "req-6"));

        Assert.Equal((409, DokuErrorCodes.InvalidParameter), (error.Status, error.ErrorCode));
        Assert.Contains("already used with a different body", Assert.Single(error.ErrorMessages));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_RetriesWithSameRequestIdAndBody_WhenDokuAnswers503First(Call call)
    {
        var doku = new StubDoku { Script = n => n == 1 ? new StubDoku.Answer(503, "{}", Signed: false) : new StubDoku.Answer(200, SuccessBody(call)) };

        var result = await call.Run(doku.Client(), "retry-1");

        Assert.False(result.Replayed);
        Assert.Equal(2, doku.Requests.Count);
        Assert.All(doku.Requests, r => Assert.Equal("retry-1", r.Header("Request-Id")));
        Assert.Equal(doku.Requests[0].Body, doku.Requests[1].Body);
        Assert.All(doku.Requests, r => StubDoku.AssertSigned(r, call.Path));
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Call_ThrowsSignatureError_WhenSuccessAnswerIsSignedWithAnotherKey(Call call)
    {
        var doku = new StubDoku { Script = _ => new StubDoku.Answer(200, SuccessBody(call), SignWithKey: "SK-SOMEONE-ELSE") };

        var error = await Assert.ThrowsAsync<DokuSignatureException>(() => call.Run(doku.Client(), "req-7"));

        Assert.Equal(200, error.Status);
        Assert.Contains("does not match", Assert.Single(error.ErrorMessages));
    }

    [Fact]
    public async Task Calls_SendAFreshGuidRequestIdEach_WhenNoneGiven()
    {
        var doku = new StubDoku { Script = n => new StubDoku.Answer(200, SuccessBody(AllCalls[(n - 1) % 5])) };
        var client = doku.Client();

        DokuOperationResult[] results =
        [
            await client.CancelOrderAsync(new CancelOrderRequest { InvoiceNumber = "INV-1" }),
            await client.CaptureAsync(new CaptureRequest { AuthorizeId = "A-1" }),
            await client.RefundCardAsync(new CardRefundRequest { InvoiceNumber = "INV-1", OriginalRequestId = "r-1", Amount = 1 }),
            await client.RefundShopeePayAsync(new ShopeePayRefundRequest { InvoiceNumber = "INV-1", Identifiers = [.. Ids] }),
            await client.RefundAkulakuAsync(new AkulakuRefundRequest { InvoiceNumber = "INV-1", Identifiers = [.. Ids], RefundReference = "RF-1" }),
        ];

        Assert.Equal(results.Select(r => r.RequestId), doku.Requests.Select(r => r.Header("Request-Id")));
        Assert.All(results, r => Assert.True(Guid.TryParse(r.RequestId, out _), r.RequestId));
        Assert.Equal(5, results.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(AllCalls.Select(c => c.Path), doku.Requests.Select(r => r.Uri.AbsolutePath));
    }

    [Theory]
    [InlineData("capture", """{"payment":{}}""")]
    [InlineData("card refund", """{"order":{"invoice_number":"INV-1"}}""")]
    [InlineData("cancel", """{"message":["SUCCESS"]}""")]
    public async Task Call_ThrowsNotADokuAnswer_WhenSuccessBodyLacksItsKeyField(string name, string body)
    {
        var doku = StubDoku.Answering(200, body);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => AllCalls.Single(c => c.Name == name).Run(doku.Client(), "req-8"));

        Assert.Equal(200, error.Status);
        Assert.StartsWith("the answer is not a DOKU", Assert.Single(error.ErrorMessages));
    }
}
