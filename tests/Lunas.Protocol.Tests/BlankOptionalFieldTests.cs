using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lunas.Protocol.Checkout;
using static Lunas.Protocol.Tests.Requests;

namespace Lunas.Protocol.Tests;

/// <summary>
/// PHP clients (DOKU's WooCommerce plugin among them) send unset optional fields as <c>""</c> or <c>null</c>: both read
/// as absent, and a channel that needs the field reports it as not filled.
/// </summary>
public class BlankOptionalFieldTests
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static JsonNode Body(string channel) => JsonSerializer.SerializeToNode(Full(channel), Options)!;

    /// <summary>Sets the value at a dotted path (<c>order.line_items.0.sku</c>): <c>""</c>, or JSON null when null.</summary>
    private static void Set(JsonNode body, string path, string? blank)
    {
        var parts = path.Split('.');
        var node = body;
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }
        node.AsObject()[parts[^1]] = blank is null ? null : JsonValue.Create(blank);
    }

    private static List<string> Validate(JsonNode body)
    {
        var errors = new ValidationErrors();
        var request = CheckoutRequestReader.Read(Encoding.UTF8.GetBytes(body.ToJsonString()), errors);
        if (request is not null) CheckoutRules.Validate(request, null, errors);
        return errors.Messages();
    }

    public static TheoryData<string, string?> OptionalFields()
    {
        string[] paths =
        [
            "order.currency", "order.callback_url", "order.callback_url_cancel", "order.callback_url_result", "order.language",
            "order.auto_redirect", "order.disable_retry_payment", "order.recover_abandoned_cart", "order.expired_recovered_cart",
            "order.line_items", "order.line_items.0.id", "order.line_items.0.name", "order.line_items.0.price",
            "order.line_items.0.quantity", "order.line_items.0.sku", "order.line_items.0.category", "order.line_items.0.url",
            "order.line_items.0.image_url", "order.line_items.0.type",
            "payment", "payment.type", "payment.payment_due_date", "payment.payment_method_types",
            "customer", "customer.id", "customer.name", "customer.last_name", "customer.phone", "customer.email",
            "customer.address", "customer.postcode", "customer.state", "customer.city", "customer.country",
            "shipping_address", "shipping_address.phone", "shipping_address.country_code", "billing_address.postal_code",
            "additional_info", "additional_info.allow_tenor", "additional_info.doku_wallet_notify_url",
            "additional_info.override_notification_url", "additional_info.close_redirect",
        ];
        var data = new TheoryData<string, string?>();
        foreach (var path in paths)
        {
            data.Add(path, "");
            data.Add(path, null);
        }
        data.Add("customer.email", "   ");
        return data;
    }

    [Theory]
    [MemberData(nameof(OptionalFields))]
    public void Validate_TreatsBlankOptionalField_AsAbsent_WhenTheChannelDoesNotNeedIt(string path, string? blank)
    {
        var body = Body("VIRTUAL_ACCOUNT_BCA");
        Set(body, path, blank);

        Assert.Empty(Validate(body));
    }

    [Theory]
    [InlineData(Indodana, "order.line_items.0.image_url", "order.line_items[0].image_url")]
    [InlineData(Indodana, "order.line_items.0.sku", "order.line_items[0].sku")]
    [InlineData(Kredivo, "order.line_items.0.url", "order.line_items[0].url")]
    [InlineData(Kredivo, "shipping_address.phone", "shipping_address.phone")]
    [InlineData(Kredivo, "shipping_address", "shipping_address")]
    [InlineData(Akulaku, "customer.postcode", "customer.postcode")]
    [InlineData(Jenius, "order.callback_url", "order.callback_url")]
    [InlineData(Jenius, "order.line_items", "order.line_items")]
    [InlineData(Allo, "customer.email", "customer.email")]
    [InlineData(BriDirectDebit, "customer.id", "customer.id")]
    public void Validate_NamesBlankField_AsNotFilled_WhenTheChannelNeedsIt(string channel, string path, string field)
    {
        foreach (var blank in new[] { "", null })
        {
            var body = Body(channel);
            Set(body, path, blank);

            Assert.Equal([$"{field} must be filled for {channel}"], Validate(body));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_StillRequiresTheInvoiceNumber_WhenItIsBlank(string? blank)
    {
        var body = Body("VIRTUAL_ACCOUNT_BCA");
        Set(body, "order.invoice_number", blank);

        Assert.Equal(["order.invoice_number must be filled"], Validate(body));
    }

    [Fact]
    public void Read_KeepsAnEmptyAmount_AsNotANumber()
    {
        var body = Body("VIRTUAL_ACCOUNT_BCA");
        Set(body, "order.amount", "");

        Assert.Contains("order.amount must be a number", Validate(body));
    }
}
