using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>What a customer's browser and the simulator do, as plain HTTP, for API-level tests.</summary>
public static partial class PayHelpers
{
    public sealed record Created(string Invoice, string Token, string Url, string RequestId);

    public static async Task<Created> CreateAsync(this TestServer server, string? body = null, string? invoice = null)
    {
        invoice ??= Seed.NewInvoice();
        var requestId = Guid.NewGuid().ToString();
        using var response = await server.CreatePaymentAsync(body ?? Seed.BasicRequest(invoice), requestId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        var r = document.RootElement.GetProperty("response");
        var payment = r.GetProperty("payment");
        return new Created(r.GetProperty("order").GetProperty("invoice_number").GetString()!, payment.GetProperty("token_id").GetString()!,
            payment.GetProperty("url").GetString()!, requestId);
    }

    /// <summary>Posts the page's form (no redirect following) and returns the response.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this TestServer server, Created order, string action, params (string, string)[] fields)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(server.BaseUrl) };
        var response = await http.PostAsync($"/checkout-link-v2/{order.Token}/{action}",
            new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Chooses a code channel on the page and reads the code (VA number, store code) or QRIS payload it shows.</summary>
    public static async Task<string> ChooseCodeAsync(this TestServer server, Created order, string channel)
    {
        using var choose = await server.SubmitAsync(order, "choose", ("channel", channel));
        Assert.Equal(HttpStatusCode.Redirect, choose.StatusCode);
        var html = await server.Http.GetStringAsync($"/checkout-link-v2/{order.Token}");
        var match = channel == "QRIS" ? Payload().Match(html) : PayCode().Match(html);
        Assert.True(match.Success, html);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<JsonElement> StatusAsync(this TestServer server, string invoiceOrRequestId)
    {
        using var response = await server.GetSignedAsync("/orders/v1/status/" + invoiceOrRequestId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    public static Task<HttpResponseMessage> SimulateAsync(this TestServer server, string invoice, string channel, string result = "SUCCESS")
        => server.PostSignedAsync("/sandbox/v1/payments",
            $$"""{"invoice_number":"{{invoice}}","payment_method_type":"{{channel}}","result":"{{result}}"}""");

    public static Task<HttpResponseMessage> PayVaAsync(this TestServer server, string number, long? amount = null)
        => server.PostSignedAsync("/sandbox/v1/virtual-accounts/payments",
            amount is null ? $$"""{"virtual_account_number":"{{number}}"}""" : $$"""{"virtual_account_number":"{{number}}","amount":{{amount}}}""");

    public static string TransactionStatus(this JsonElement status) => status.GetProperty("transaction").GetProperty("status").GetString()!;

    [GeneratedRegex("<output id=\"pay-code\">([^<]+)</output>")]
    private static partial Regex PayCode();

    [GeneratedRegex("<code class=\"payload\">([^<]+)</code>")]
    private static partial Regex Payload();
}
