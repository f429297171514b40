using System.Globalization;
using System.Text;
using Lunas.Client.Tests.Infrastructure;
using Lunas.Protocol.Signing;
using Microsoft.Extensions.Time.Testing;

namespace Lunas.Client.Tests;

/// <summary>The shared signature vectors through the SDK's own signing and verifying paths.</summary>
public class SignatureVectorTests
{
    private const string Sandbox = "https://api-sandbox.doku.com";

    public static TheoryData<string> RequestVectors => new(Vectors.All
        .Where(v => v.TimestampHeader == DokuSignature.RequestTimestamp).Select(v => v.Name));

    [Theory]
    [MemberData(nameof(RequestVectors))]
    public void SignRequest_ProducesVectorHeaders_ForEveryRequestVector(string name)
    {
        var v = Vectors.Get(name);
        using var request = new HttpRequestMessage(new HttpMethod(v.Method), Sandbox + v.RequestTarget);

        DokuHttpSigning.SignRequest(request, v.ClientId, Vectors.SecretKey, v.RequestId, Instant(v.Timestamp),
            v.Body is null ? null : Encoding.UTF8.GetBytes(v.Body));

        Assert.Equal(v.Signature, Single(request, "Signature"));
        Assert.Equal(v.Timestamp, Single(request, "Request-Timestamp"));
        Assert.Equal(v.RequestId, Single(request, "Request-Id"));
        Assert.Equal(v.ClientId, Single(request, "Client-Id"));
    }

    [Fact]
    public async Task CreatePaymentAsync_SendsVectorBodyAndSignature_WhenClockAndRequestIdAreTheVectors()
    {
        var v = Vectors.Get("checkout-post-basic");
        var handler = new ScriptedHandler
        {
            InnerHandler = new SocketsHttpHandler(),
            Script = (_, _, _) => Task.FromResult(ScriptedHandler.Json(200, SuccessBody("INV-20210231-0001"))),
        };
        using var http = new HttpClient(handler);
        var client = new DokuCheckoutClient(http,
            new DokuCheckoutOptions { BaseUrl = Sandbox, ClientId = v.ClientId, SecretKey = Vectors.SecretKey },
            new FakeTimeProvider(Instant(v.Timestamp)));

        await client.CreatePaymentAsync(Requests.Basic("INV-20210231-0001", 20000), v.RequestId);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(Sandbox + v.RequestTarget, sent.Uri.ToString());
        Assert.Equal(v.Body, Encoding.UTF8.GetString(sent.Body!));
        Assert.Equal(v.Signature, sent.Header("Signature"));
        Assert.Equal(v.Timestamp, sent.Header("Request-Timestamp"));
    }

    [Fact]
    public void VerifyResponse_AcceptsVector_WhenResponseSignedAsSpecified()
    {
        var v = Vectors.Get("response-signature");

        var result = DokuHttpSigning.VerifyResponse(v.Signature, v.Timestamp, Encoding.UTF8.GetBytes(v.Body!), v.RequestTarget,
            v.ClientId, v.RequestId, Vectors.SecretKey);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void VerifyResponse_Rejects_WhenResponseVectorBodyChanged()
    {
        var v = Vectors.Get("response-signature");

        var result = DokuHttpSigning.VerifyResponse(v.Signature, v.Timestamp, "{ }"u8, v.RequestTarget, v.ClientId, v.RequestId,
            Vectors.SecretKey);

        Assert.False(result.IsValid);
        Assert.Contains("does not match", result.Reason);
    }

    [Fact]
    public void Verify_AcceptsNotificationVector_WhenClockAtVectorTime()
    {
        var v = Vectors.Get("notification-post-va");
        var verifier = Verifier(v);

        var result = verifier.Verify(Headers(v, v.Signature), Encoding.UTF8.GetBytes(v.Body!), v.RequestTarget);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Verify_RejectsNegativeVector_WhenSignedWithTrailingNewline()
    {
        var v = Vectors.Get("checkout-post-basic");
        var verifier = Verifier(v);
        var body = Encoding.UTF8.GetBytes(v.Body!);
        Assert.True(verifier.Verify(Headers(v, v.Signature), body, v.RequestTarget).IsValid);

        var result = verifier.Verify(Headers(v, Vectors.Negative("negative-trailing-newline")), body, v.RequestTarget);

        Assert.False(result.IsValid);
        Assert.Contains("Signature does not match", result.Reason);
    }

    [Fact]
    public async Task CreatePaymentAsync_Succeeds_WhenResponseSignedForThisRequest()
    {
        var (client, _) = ClientAnswering(sign: (requestId, body) => Sign(requestId, body));

        var response = await client.CreatePaymentAsync(Requests.Basic("INV-1"));

        Assert.Equal("INV-1", response.Response.Order.InvoiceNumber);
    }

    [Fact]
    public async Task CreatePaymentAsync_ThrowsSignatureException_WhenResponseSignedForAnotherRequestId()
    {
        var (client, _) = ClientAnswering(sign: (_, body) => Sign("another-request-id", body));

        var error = await Assert.ThrowsAsync<DokuSignatureException>(() => client.CreatePaymentAsync(Requests.Basic("INV-1")));

        Assert.Equal(200, error.Status);
        Assert.Contains("does not match", error.ErrorMessages[0]);
    }

    private const string ClientId = "MCH-0001-10791114622547";
    private static readonly DateTimeOffset Now = new(2024, 7, 12, 2, 45, 31, TimeSpan.Zero);

    private static (string Timestamp, string Signature) Sign(string requestId, byte[] body)
    {
        var timestamp = DokuSignature.FormatTimestamp(Now);
        return (timestamp, DokuSignature.SignBody(Vectors.SecretKey, ClientId, requestId, timestamp, "/checkout/v1/payment", body,
            hasBody: true, DokuSignature.ResponseTimestamp));
    }

    private static (DokuCheckoutClient, ScriptedHandler) ClientAnswering(Func<string, byte[], (string Timestamp, string Signature)> sign)
    {
        var handler = new ScriptedHandler { InnerHandler = new SocketsHttpHandler() };
        handler.Script = (n, _, _) =>
        {
            var requestId = handler.Requests[n - 1].Header("Request-Id");
            var body = SuccessBody("INV-1");
            var (timestamp, signature) = sign(requestId, Encoding.UTF8.GetBytes(body));
            return Task.FromResult(ScriptedHandler.Json(200, body, h =>
            {
                h.Add("Response-Timestamp", timestamp);
                h.Add("Signature", signature);
            }));
        };
        var client = new DokuCheckoutClient(new HttpClient(handler),
            new DokuCheckoutOptions { BaseUrl = Sandbox, ClientId = ClientId, SecretKey = Vectors.SecretKey }, new FakeTimeProvider(Now));
        return (client, handler);
    }

    public static string SuccessBody(string invoice) => """
        {"message":["SUCCESS"],"response":{"order":{"amount":"20000","invoice_number":"INVOICE","currency":"IDR","session_id":"2ebffd22d23e436895ce5c38f7ddcf86"},
        "payment":{"payment_method_types":["VIRTUAL_ACCOUNT_BCA"],"payment_due_date":60,"token_id":"2ebffd22d23e436895ce5c38f7ddcf8620244712094712362",
        "url":"https://sandbox.doku.com/checkout-link-v2/2ebffd22d23e436895ce5c38f7ddcf8620244712094712362","expired_date":"20240712104711"},
        "uuid":2225240712094712339107164227041411929328,"headers":{"request_id":"x","signature":"y","date":"2024-07-12T02:47:11Z","client_id":"z"}}}
        """.Replace("INVOICE", invoice, StringComparison.Ordinal);

    private static DokuNotificationVerifier Verifier(Vectors.Vector v)
        => new(new DokuCheckoutOptions { ClientId = v.ClientId, SecretKey = Vectors.SecretKey }, new FakeTimeProvider(Instant(v.Timestamp)));

    private static Dictionary<string, string> Headers(Vectors.Vector v, string signature) => new()
    {
        ["Client-Id"] = v.ClientId,
        ["Request-Id"] = v.RequestId,
        ["Request-Timestamp"] = v.Timestamp,
        ["Signature"] = signature,
    };

    private static DateTimeOffset Instant(string timestamp)
        => DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Single(HttpRequestMessage request, string header) => Assert.Single(request.Headers.GetValues(header));
}
