using System.Text;
using Lunas.Client.Tests.Infrastructure;
using Lunas.Protocol.Checkout;
using Microsoft.Extensions.Time.Testing;

namespace Lunas.Client.Tests;

/// <summary>The SDK's create payment against a real Lunas over HTTP: typed answers, replays, retries, errors.</summary>
public class CheckoutClientTests(LunasFixture lunas) : IClassFixture<LunasFixture>
{
    [Fact]
    public async Task CreatePaymentAsync_ReturnsTypedResponse_WhenBasicRequest()
    {
        var invoice = Requests.NewInvoice();
        var handler = new ScriptedHandler();
        var client = lunas.Client(handler: handler);
        var before = DateTimeOffset.UtcNow;

        var created = await client.CreatePaymentAsync(Requests.Basic(invoice, 20000));

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(sent.Header("Request-Id"), created.RequestId);
        Assert.False(created.Replayed);
        Assert.Equal(["SUCCESS"], created.Message);
        var order = created.Response.Order;
        Assert.Equal(20000, order.Amount);
        Assert.Equal(invoice, order.InvoiceNumber);
        Assert.Equal("IDR", order.Currency);
        Assert.False(string.IsNullOrEmpty(order.SessionId));
        var payment = created.Response.Payment;
        Assert.Equal(lunas.BaseUrl + "/checkout-link-v2/" + payment.TokenId, created.PaymentUrl);
        Assert.Equal(60, payment.PaymentDueDate);
        Assert.Contains("VIRTUAL_ACCOUNT_BCA", payment.PaymentMethodTypes!);
        Assert.Matches("^[0-9]{14}$", payment.ExpiredDate);
        Assert.InRange(payment.ExpiresAt!.Value, before.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Matches("^[0-9]{40}$", created.Response.Uuid);
        Assert.Equal(created.RequestId, created.Response.Headers!.RequestId);
        Assert.Equal(LunasFixture.ClientId, created.Response.Headers.ClientId);
        Assert.Equal("JOKUL", created.Response.AdditionalInfo!.Origin!.ApiFormat);
        Assert.Contains(invoice, created.RawJson);
    }

    [Fact]
    public async Task CreatePaymentAsync_ReturnsEveryEchoedField_WhenFullRequest()
    {
        var invoice = Requests.NewInvoice();
        var client = lunas.Client();

        var created = await client.CreatePaymentAsync(Requests.Full(invoice, "VIRTUAL_ACCOUNT_BCA", "CREDIT_CARD", "PEER_TO_PEER_KREDIVO"));

        var r = created.Response;
        Assert.Equal(80000, r.Order.Amount);
        Assert.Equal("http://merchantcallbackurl.domain/", r.Order.CallbackUrl);
        Assert.Equal("https://merchantcallbackurl-cancel.domain", r.Order.CallbackUrlCancel);
        Assert.Equal("EN", r.Order.Language);
        Assert.True(r.Order.AutoRedirect);
        Assert.True(r.Order.DisableRetryPayment);
        Assert.True(r.Order.RecoverAbandonedCart);
        Assert.Equal(2, r.Order.ExpiredRecoveredCart);
        Assert.Collection(r.Order.LineItems!,
            item => { Assert.Equal("Fresh flowers", item.Name); Assert.Equal(40000, item.Price); Assert.Equal(1, item.Quantity); Assert.Equal("FF01", item.Sku); },
            item => { Assert.Equal("T-shirt", item.Name); Assert.Equal(40000, item.Price); });
        Assert.Equal(["VIRTUAL_ACCOUNT_BCA", "CREDIT_CARD", "PEER_TO_PEER_KREDIVO"], r.Payment.PaymentMethodTypes);
        Assert.Null(r.Payment.Type); // not echoed, as in DOKU's Full Response
        Assert.Equal("Zolanda", r.Customer!.Name);
        Assert.Equal("628121212121", r.Customer.Phone);
        Assert.Equal("ID", r.Customer.Country);
        Assert.Equal("11923", r.ShippingAddress!.PostalCode);
        Assert.Equal("IDN", r.BillingAddress!.CountryCode);
        Assert.Equal([0, 3, 6, 12], r.AdditionalInfo!.AllowTenor);
        Assert.Equal("https://dw-notification.merchantdomain", r.AdditionalInfo.DokuWalletNotifyUrl);
        Assert.Equal(2, r.AdditionalInfo.LineItems!.Count);
    }

    [Fact]
    public async Task CreatePaymentAsync_UsesFreshRequestIdPerCall_WhenNoneGiven()
    {
        var handler = new ScriptedHandler();
        var client = lunas.Client(handler: handler);

        var first = await client.CreatePaymentAsync(Requests.Basic());
        var second = await client.CreatePaymentAsync(Requests.Basic());

        Assert.NotEqual(first.RequestId, second.RequestId);
        Assert.Equal([first.RequestId, second.RequestId], handler.Requests.Select(r => r.Header("Request-Id")));
        Assert.All(handler.Requests, r => Assert.StartsWith("HMACSHA256=", r.Header("Signature")));
        Assert.NotEqual(first.Response.Payment.TokenId, second.Response.Payment.TokenId);
    }

    [Fact]
    public async Task CreatePaymentAsync_ReturnsOriginalPayment_WhenSameRequestIdSentAgain()
    {
        var request = Requests.Basic();
        var requestId = Guid.NewGuid().ToString();
        var client = lunas.Client();

        var first = await client.CreatePaymentAsync(request, requestId);
        var again = await client.CreatePaymentAsync(request, requestId);

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(requestId, again.RequestId);
        Assert.Equal(first.Response.Payment.TokenId, again.Response.Payment.TokenId);
        Assert.Equal(first.PaymentUrl, again.PaymentUrl);
        Assert.Equal(first.Response.Uuid, again.Response.Uuid);
        Assert.Equal(first.RawJson, again.RawJson);
    }

    [Fact]
    public async Task CreatePaymentAsync_ReplaysWithSameRequestId_WhenFirstResponseIsLost()
    {
        // The server creates the payment, then the answer is lost on the way back: the retry must not create a second one.
        var handler = new ScriptedHandler();
        handler.Script = async (n, forward, ct) =>
        {
            var response = await forward();
            if (n == 1)
            {
                response.Dispose();
                throw new HttpRequestException("connection reset after the server answered");
            }
            return response;
        };
        var client = lunas.Client(handler: handler);
        var invoice = Requests.NewInvoice();

        var created = await client.CreatePaymentAsync(Requests.Basic(invoice));

        Assert.True(created.Replayed);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(created.RequestId, handler.Requests[0].Header("Request-Id"));
        Assert.Equal(created.RequestId, handler.Requests[1].Header("Request-Id"));
        Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
        Assert.Equal(invoice, created.Response.Order.InvoiceNumber);
        var status = await client.GetStatusAsync(created.RequestId);
        Assert.Equal(invoice, status.Order.InvoiceNumber);
    }

    [Fact]
    public async Task CreatePaymentAsync_RetriesWithSameRequestIdAndFreshSignature_WhenServerAnswers503()
    {
        var handler = new ScriptedHandler { Script = (n, forward, _) => n == 1 ? Task.FromResult(ScriptedHandler.Json(503, "{}")) : forward() };
        // Each reading of this clock moves it a second on, so the two attempts carry different timestamps.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        var client = lunas.Client(o => o.RetryDelay = TimeSpan.Zero, handler, clock);

        var created = await client.CreatePaymentAsync(Requests.Basic());

        Assert.False(created.Replayed);
        Assert.Equal(2, handler.Requests.Count);
        var (first, second) = (handler.Requests[0], handler.Requests[1]);
        Assert.Equal(first.Header("Request-Id"), second.Header("Request-Id"));
        Assert.NotEqual(first.Header("Request-Timestamp"), second.Header("Request-Timestamp"));
        Assert.NotEqual(first.Header("Signature"), second.Header("Signature"));
    }

    [Fact]
    public async Task CreatePaymentAsync_ThrowsTransientError_WhenServerAnswers503EveryTime()
    {
        var handler = new ScriptedHandler { Script = (_, _, _) => Task.FromResult(ScriptedHandler.Json(503, """{"error_messages":["maintenance"]}""")) };
        var client = lunas.Client(o => o.MaxRetries = 2, handler);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CreatePaymentAsync(Requests.Basic()));

        Assert.Equal(503, error.Status);
        Assert.True(error.IsTransient);
        Assert.Equal(["maintenance"], error.ErrorMessages);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(error.RequestId, r.Header("Request-Id")));
    }

    [Fact]
    public async Task CreatePaymentAsync_ThrowsWithRequestIdAndNoStatus_WhenNetworkFailsEveryAttempt()
    {
        var handler = new ScriptedHandler { Script = (_, _, _) => throw new HttpRequestException("connection refused") };
        var client = lunas.Client(o => o.MaxRetries = 1, handler);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CreatePaymentAsync(Requests.Basic()));

        Assert.Null(error.Status);
        Assert.True(error.IsTransient);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(handler.Requests[0].Header("Request-Id"), error.RequestId);
    }

    [Fact]
    public async Task CreatePaymentAsync_RetriesAfterTimeout_WhenAttemptTakesTooLong()
    {
        var handler = new ScriptedHandler();
        handler.Script = async (n, forward, ct) =>
        {
            if (n == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
            }
            return await forward();
        };
        var client = lunas.Client(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300), handler);

        var created = await client.CreatePaymentAsync(Requests.Basic());

        Assert.Equal(2, handler.Requests.Count);
        Assert.False(created.Replayed);
    }

    [Fact]
    public async Task CreatePaymentAsync_Throws409_WhenSameRequestIdCarriesAnotherBody()
    {
        var requestId = Guid.NewGuid().ToString();
        var client = lunas.Client();
        await client.CreatePaymentAsync(Requests.Basic(amount: 20000), requestId);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CreatePaymentAsync(Requests.Basic(amount: 30000), requestId));

        Assert.Equal(409, error.Status);
        Assert.Equal(requestId, error.RequestId);
        Assert.Contains("already used with a different body", Assert.Single(error.ErrorMessages));
    }

    [Fact]
    public async Task CreatePaymentAsync_Throws400WithErrorMessages_WhenServerRejectsTheRequest()
    {
        var handler = new ScriptedHandler();
        var client = lunas.Client(o => o.ValidateRequests = false, handler);
        var request = new CheckoutRequest { Order = new OrderInfo { Amount = 0, InvoiceNumber = "" } };

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CreatePaymentAsync(request));

        Assert.IsNotType<DokuValidationException>(error);
        Assert.Equal(400, error.Status);
        Assert.Equal(["order.invoice_number must be filled", "order.amount must greater than 0"], error.ErrorMessages);
        Assert.Equal(Assert.Single(handler.Requests).Header("Request-Id"), error.RequestId);
        Assert.Contains("error_messages", error.ResponseBody);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task CreatePaymentAsync_Throws400_WhenInvoiceIsAlreadyPaid()
    {
        var invoice = Requests.NewInvoice();
        var client = lunas.Client();
        await client.CreatePaymentAsync(Requests.Basic(invoice));
        await lunas.SimulatePaymentAsync(invoice, "VIRTUAL_ACCOUNT_BCA");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CreatePaymentAsync(Requests.Basic(invoice)));

        Assert.Equal(400, error.Status);
        Assert.Equal([$"order.invoice_number {invoice} is already paid"], error.ErrorMessages);
    }

    [Fact]
    public async Task CreatePaymentAsync_Throws401_WhenSecretKeyIsWrong()
    {
        var handler = new ScriptedHandler();
        var client = lunas.Client(o => o.SecretKey = "SK-WRONG", handler);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CreatePaymentAsync(Requests.Basic()));

        Assert.IsNotType<DokuSignatureException>(error);
        Assert.Equal(401, error.Status);
        Assert.StartsWith("Signature does not match", Assert.Single(error.ErrorMessages));
        Assert.Equal(Assert.Single(handler.Requests).Header("Request-Id"), error.RequestId);
    }

    [Fact]
    public async Task CreatePaymentAsync_Throws401_WhenClientIdIsUnknown()
    {
        var client = lunas.Client(o => o.ClientId = "MCH-NOBODY");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CreatePaymentAsync(Requests.Basic()));

        Assert.Equal(401, error.Status);
        Assert.Contains("MCH-NOBODY is not a known merchant", Assert.Single(error.ErrorMessages));
    }

    [Fact]
    public async Task CreatePaymentAsync_ThrowsValidationWithoutSending_WhenRequestBreaksTheSeedRules()
    {
        var handler = new ScriptedHandler();
        var client = lunas.Client(handler: handler);
        var request = new CheckoutRequest
        {
            Order = new OrderInfo { Amount = 0, InvoiceNumber = "" },
            Payment = new PaymentInfo { PaymentMethodTypes = ["PEER_TO_PEER_KREDIVO", "NOT_A_CHANNEL"] },
            Customer = new CustomerInfo { Email = "not-an-email" },
        };

        var error = await Assert.ThrowsAsync<DokuValidationException>(() => client.CreatePaymentAsync(request, "my-request-1"));

        Assert.Empty(handler.Requests);
        Assert.Null(error.Status);
        Assert.False(error.IsTransient);
        Assert.Equal("my-request-1", error.RequestId);
        Assert.Contains("order.invoice_number must be filled", error.ErrorMessages);
        Assert.Contains("order.amount must greater than 0", error.ErrorMessages);
        Assert.Contains("customer.email must be an email address", error.ErrorMessages);
        Assert.Contains(error.ErrorMessages, m => m.StartsWith("payment.payment_method_types[1] \"NOT_A_CHANNEL\"", StringComparison.Ordinal));
        Assert.Contains("shipping_address must be filled for PEER_TO_PEER_KREDIVO", error.ErrorMessages);
        Assert.Equal(error.ErrorMessages, DokuCheckoutClient.Validate(request));
    }

    [Fact]
    public async Task CreatePaymentAsync_ThrowsSignatureException_WhenResponseBodyIsAltered()
    {
        var handler = new ScriptedHandler();
        handler.Script = async (_, forward, ct) =>
        {
            var response = await forward();
            var text = await response.Content.ReadAsStringAsync(ct);
            var altered = text.Replace("/checkout-link-v2/", "/evil-link/", StringComparison.Ordinal);
            response.Content = new StringContent(altered, Encoding.UTF8, "application/json");
            return response;
        };
        var client = lunas.Client(handler: handler);

        var error = await Assert.ThrowsAsync<DokuSignatureException>(() => client.CreatePaymentAsync(Requests.Basic()));

        Assert.Equal(200, error.Status);
        Assert.Contains("does not match its body", Assert.Single(error.ErrorMessages));
        Assert.Contains("/evil-link/", error.ResponseBody);
    }

    [Fact]
    public async Task CreatePaymentAsync_AcceptsAlteredResponse_WhenSignatureVerificationIsOff()
    {
        var handler = new ScriptedHandler();
        handler.Script = async (_, forward, ct) =>
        {
            var response = await forward();
            var text = (await response.Content.ReadAsStringAsync(ct)).Replace("\"IDR\"", "\"USD\"", StringComparison.Ordinal);
            response.Content = new StringContent(text, Encoding.UTF8, "application/json");
            return response;
        };
        var client = lunas.Client(o => o.VerifyResponseSignatures = false, handler);

        var created = await client.CreatePaymentAsync(Requests.Basic());

        Assert.Equal("USD", created.Response.Order.Currency);
    }

    [Fact]
    public async Task CreatePaymentAsync_ChecksSignatureOnlyWhenPresent_UnlessRequired()
    {
        var handler = new ScriptedHandler();
        handler.Script = async (_, forward, _) =>
        {
            var response = await forward();
            response.Headers.Remove("Signature");
            return response;
        };
        var lenient = lunas.Client(handler: handler);
        var strict = lunas.Client(o => o.RequireResponseSignature = true, new ScriptedHandler { Script = handler.Script });

        var created = await lenient.CreatePaymentAsync(Requests.Basic());
        var error = await Assert.ThrowsAsync<DokuSignatureException>(() => strict.CreatePaymentAsync(Requests.Basic()));

        Assert.False(string.IsNullOrEmpty(created.PaymentUrl));
        Assert.Contains("no Signature header", Assert.Single(error.ErrorMessages));
    }
}
