using System.Net;
using System.Text.Json;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.PostPayment;

/// <summary>A server whose notifications go to a receiver, and the post-payment calls as a merchant makes them.</summary>
public abstract class PostPaymentTest : ServerTest
{
    protected TestReceiver Receiver { get; private set; } = null!;

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Lunas:Merchants:0:NotificationUrl"] = Receiver.BaseUrl + "/hook",
        ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
    };

    public override async Task InitializeAsync()
    {
        Receiver = await TestReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected async Task<PayHelpers.Created> PaidAsync(string channel, string? body = null)
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(body?.Replace("{invoice}", invoice, StringComparison.Ordinal), invoice);
        using var paid = await Server.SimulateAsync(order.Invoice, channel);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        return order;
    }

    /// <summary>A card AUTHORIZE of 20000, held; and its authorize_id.</summary>
    protected async Task<(PayHelpers.Created Order, string AuthorizeId)> AuthorizedAsync()
    {
        var order = await PaidAsync("CREDIT_CARD", """{"order":{"amount":20000,"invoice_number":"{invoice}"},"payment":{"type":"AUTHORIZE"}}""");
        var status = await Server.StatusAsync(order.Invoice);
        return (order, status.GetProperty("card_payment").GetProperty("authorize_id").GetString()!);
    }

    protected Task<HttpResponseMessage> CancelAsync(string invoice, string? originalRequestId = null, string? requestId = null)
        => Server.PostSignedAsync("/checkout/v3/cancellations", originalRequestId is null
            ? $$"""{"order":{"invoice_number":"{{invoice}}"},"note":"changed my mind"}"""
            : $$"""{"order":{"invoice_number":"{{invoice}}"},"payment":{"original_request_id":"{{originalRequestId}}"} }""", requestId);

    protected Task<HttpResponseMessage> CaptureAsync(string authorizeId, string amountJson = "", string? requestId = null)
        => Server.PostSignedAsync("/credit-card/capture", amountJson.Length == 0
            ? $$"""{"payment":{"authorize_id":"{{authorizeId}}"} }"""
            : $$"""{"payment":{"authorize_id":"{{authorizeId}}","capture_amount":{{amountJson}} } }""", requestId);

    protected Task<HttpResponseMessage> RefundCardAsync(PayHelpers.Created order, long amount, string? requestId = null,
        string path = "/cancellation/credit-card/refund")
        => Server.PostSignedAsync(path,
            $$"""{"order":{"invoice_number":"{{order.Invoice}}"},"payment":{"original_request_id":"{{order.RequestId}}"},"refund":{"amount":{{amount}} } }""",
            requestId);

    /// <summary>Past the next 00:00 WIB: the card payment is settled.</summary>
    protected void Settle() => Server.Clock.Advance(TimeSpan.FromHours(25));

    protected static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The Direct-API error: status, <c>error.code</c>, and <c>message[0]</c> equal to <c>error.message</c>.</summary>
    protected static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        var root = JsonDocument.Parse(text).RootElement.Clone();
        var error = root.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        Assert.Equal(error.GetProperty("message").GetString(),
            string.Join("; ", root.GetProperty("message").EnumerateArray().Select(m => m.GetString())));
        return root;
    }

    /// <summary>The notifications received so far whose transaction.status is <paramref name="status"/>.</summary>
    protected async Task<IReadOnlyList<JsonElement>> NotificationsAsync(string invoice, string status, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = Receiver.Requests.Select(r => JsonDocument.Parse(r.Text).RootElement.Clone())
                .Where(n => n.GetProperty("order").GetProperty("invoice_number").GetString() == invoice && n.TransactionStatus() == status)
                .ToList();
            if (found.Count >= atLeast || DateTime.UtcNow > deadline) return found;
            await Task.Delay(100);
        }
    }

    protected static string Str(JsonElement e, string path)
    {
        foreach (var part in path.Split('.')) e = e.GetProperty(part);
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
    }
}
