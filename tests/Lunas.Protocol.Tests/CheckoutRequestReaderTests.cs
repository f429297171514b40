using System.Text;
using Lunas.Protocol.Checkout;

namespace Lunas.Protocol.Tests;

/// <summary>Reading create-payment bodies the way real DOKU clients send them (spec section 2).</summary>
public class CheckoutRequestReaderTests
{
    private static CheckoutRequest? Read(string json, out List<string> errors) => Read(Encoding.UTF8.GetBytes(json), out errors);

    private static CheckoutRequest? Read(byte[] body, out List<string> errors)
    {
        var found = new ValidationErrors();
        var request = CheckoutRequestReader.Read(body, found);
        errors = found.Messages();
        return request;
    }

    private static string WithOrder(string orderFields) =>
        """{"order":{"invoice_number":"INV-1",""" + orderFields + """},"payment":{"payment_due_date":60}}""";

    [Fact]
    public void Read_AcceptsNumericStrings_WhenAmountPriceAndQuantityAreStrings()
    {
        var request = Read("""
            {"order":{"amount":"150000","invoice_number":"INV-1","expired_recovered_cart":"60",
              "line_items":[{"name":"Shirt","price":"75000.00","quantity":"2"}]},
             "payment":{"payment_due_date":"60"},"additional_info":{"allow_tenor":["3","6"]}}
            """, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(150000, request.Order.Amount);
        Assert.Equal(60, request.Order.ExpiredRecoveredCart);
        var item = Assert.Single(request.Order.LineItems!);
        Assert.Equal(75000, item.Price);
        Assert.Equal(2, item.Quantity);
        Assert.Equal(60, request.Payment!.PaymentDueDate);
        Assert.Equal([3, 6], request.AdditionalInfo!.AllowTenor!);
    }

    [Fact]
    public void Read_AcceptsWholeNumber_WhenJsonNumberHasZeroFraction()
    {
        var request = Read(WithOrder("\"amount\":150000.0"), out var errors);
        Assert.Empty(errors);
        Assert.Equal(150000, request!.Order.Amount);
    }

    [Theory]
    [InlineData("\"amount\":\"75000.50\"", "order.amount")]
    [InlineData("\"amount\":75000.5", "order.amount")]
    [InlineData("\"amount\":20000,\"line_items\":[{\"price\":\"75000.50\",\"quantity\":1}]", "order.line_items[0].price")]
    public void Read_RejectsFractionalNumber_NamingTheField(string fields, string path)
    {
        var request = Read(WithOrder(fields), out var errors);
        Assert.NotNull(request);
        var error = Assert.Single(errors);
        Assert.Equal($"{path} must be a whole number without decimals", error);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"\"")]
    [InlineData("\"1,000\"")]
    public void Read_RejectsAmount_WhenStringIsNotNumeric(string amount)
    {
        Read(WithOrder("\"amount\":" + amount), out var errors);
        Assert.Equal(["order.amount must be a number"], errors);
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("1e400")]
    public void Read_RejectsAmount_WhenTooLargeForInt64(string amount)
    {
        Read(WithOrder("\"amount\":" + amount), out var errors);
        Assert.Equal(["order.amount is too large"], errors);
    }

    [Fact]
    public void Read_AcceptsCustomerId_WhenJsonNumber()
    {
        var request = Read("""{"order":{"amount":1,"invoice_number":"A"},"customer":{"id":12345,"phone":"+628121212121"}}""",
            out var errors);
        Assert.Empty(errors);
        Assert.Equal("12345", request!.Customer!.Id);
        Assert.Equal("+628121212121", request.Customer.Phone);
    }

    [Fact]
    public void Read_IgnoresUnknownFields_WhenClientsSendExtras()
    {
        // order.session_id: the Postman collection; additional_info.integration/method/account: the WooCommerce plugin.
        var request = Read("""
            {"order":{"amount":20000,"invoice_number":"INV-1","session_id":"abc","x":{"y":[1,2,{"z":null}]}},
             "payment":{"payment_due_date":60,"future":true},
             "customer":{"name":"Zolanda","nickname":"Zo"},
             "additional_info":{"integration":{"name":"woocommerce","version":"1.3.0"},"method":"Jokul Direct",
               "account":{"id":"SAC-0001"},"override_notification_url":"https://example.com/n"},
             "something_new":[1,"two"]}
            """, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(20000, request.Order.Amount);
        Assert.Equal("Zolanda", request.Customer!.Name);
        Assert.Equal("https://example.com/n", request.AdditionalInfo!.OverrideNotificationUrl);
    }

    [Theory]
    [InlineData("""{"order":{"amount":true,"invoice_number":"INV-1"}}""", "order.amount must be a number")]
    [InlineData("""{"order":[{"amount":1}]}""", "order must be an object")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1","line_items":{"name":"x"}}}""", "order.line_items must be an array")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1","line_items":[1]}}""", "order.line_items[0] must be an object")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1"},"payment":{"payment_method_types":["QRIS",7]}}""", "payment.payment_method_types[1] must be a string")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1"},"payment":{"payment_method_types":"QRIS"}}""", "payment.payment_method_types must be an array of strings")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1"},"payment":[]}""", "payment must be an object")]
    [InlineData("""{"order":{"amount":1,"invoice_number":["INV-1"]}}""", "order.invoice_number must be a string")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1","auto_redirect":"yes"}}""", "order.auto_redirect must be a boolean")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1"},"customer":{"name":{"first":"Zo"}}}""", "customer.name must be a string")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1"},"shipping_address":{"city":false}}""", "shipping_address.city must be a string")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1"},"billing_address":"Jakarta"}""", "billing_address must be an object")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"INV-1"},"additional_info":{"allow_tenor":[3,"six"]}}""", "additional_info.allow_tenor[1] must be a number")]
    public void Read_ReportsFieldPath_WhenJsonTypeWrong(string json, string expected)
    {
        var request = Read(json, out var errors);
        Assert.NotNull(request);
        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"3\"")]
    public void Read_TakesOneTenor_WhenAllowTenorIsABareNumber(string tenor)
    {
        // The seed's table types additional_info.allow_tenor as "number"; its sample sends an array.
        var request = Read($$$"""{"order":{"amount":1,"invoice_number":"INV-1"},"additional_info":{"allow_tenor":{{{tenor}}}}}""", out var errors);

        Assert.Empty(errors);
        Assert.Equal([3], request!.AdditionalInfo!.AllowTenor!);
    }

    [Fact]
    public void ReadAndValidate_NamesTheRightIndex_WhenAnEarlierEntryHasTheWrongType()
    {
        var found = new ValidationErrors();
        var request = CheckoutRequestReader.Read(System.Text.Encoding.UTF8.GetBytes("""
            {"order":{"amount":1000,"invoice_number":"INV-1","line_items":[7,{"name":"Tea","price":1000,"quantity":1,"url":"not a url"}]},
             "additional_info":{"allow_tenor":["six",24]}}
            """), found);
        CheckoutRules.ValidateFields(request!, found);
        var errors = found.Messages();

        Assert.Equal(
            new[]
            {
                "order.line_items[0] must be an object",
                "order.line_items[1].url must be an absolute http or https URL",
                "additional_info.allow_tenor[0] must be a number",
                "additional_info.allow_tenor[1] must be one of 0, 3, 6, 12",
            }.Order(StringComparer.Ordinal),
            errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_ReportsEveryError_WhenSeveralFieldsWrong()
    {
        var request = Read("""
            {"order":{"amount":true,"invoice_number":"INV-1","line_items":{"name":"x"},"language":true},
             "payment":{"payment_due_date":"soon","payment_method_types":["QRIS",1,null]},
             "customer":{"email":["a@b.c"]},
             "additional_info":{"allow_tenor":{"tenor":3}}}
            """, out var errors);

        Assert.NotNull(request);
        Assert.Equal(
            new[]
            {
                "order.amount must be a number",
                "order.language must be a string",
                "order.line_items must be an array",
                "payment.payment_due_date must be a number",
                "payment.payment_method_types[1] must be a string",
                "payment.payment_method_types[2] must be a string",
                "customer.email must be a string",
                "additional_info.allow_tenor must be a number or an array of numbers",
            }.Order(StringComparer.Ordinal),
            errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_ReportsOrderMissing_WhenBodyHasNoOrder()
    {
        var request = Read("""{"payment":{"payment_due_date":60}}""", out var errors);
        Assert.NotNull(request);
        Assert.Equal(["order must be filled"], errors);
    }

    [Theory]
    [InlineData("", "request body must be filled")]
    [InlineData("{\"order\":", "request body is not valid JSON")]
    [InlineData("{\"order\":{\"amount\":1,}}", "request body is not valid JSON")]
    [InlineData("{'order':{}}", "request body is not valid JSON")]
    [InlineData("   ", "request body is not valid JSON")]
    [InlineData("[{\"order\":{}}]", "request body must be a JSON object")]
    [InlineData("\"order\"", "request body must be a JSON object")]
    [InlineData("20000", "request body must be a JSON object")]
    [InlineData("null", "request body must be a JSON object")]
    public void Read_ReturnsNullWithMessage_WhenBodyIsNotAJsonObject(string body, string expected)
    {
        var request = Read(body, out var errors);
        Assert.Null(request);
        var error = Assert.Single(errors);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ReportsLineOfTheProblem_WhenJsonMalformed()
    {
        Read("{\n  \"order\": {\n    \"amount\": 1,\n  }\n}", out var errors);
        Assert.Equal("request body is not valid JSON (line 4, position 3)", Assert.Single(errors));
    }

    /// <summary>An object holding <paramref name="depth"/> nested containers in all, the root included.</summary>
    private static string Nested(int depth) =>
        """{"order":{"amount":1,"invoice_number":"A"},"deep":""" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

    [Fact]
    public void Read_ReturnsNull_WhenNestingDeeperThanMaxDepth()
    {
        var request = Read(Nested(CheckoutRequestReader.MaxDepth + 1), out var errors);
        Assert.Null(request);
        Assert.Equal([$"request body nests deeper than {CheckoutRequestReader.MaxDepth} levels"], errors);
    }

    [Fact]
    public void Read_AcceptsBody_WhenNestingExactlyMaxDepth()
    {
        var request = Read(Nested(CheckoutRequestReader.MaxDepth), out var errors);
        Assert.NotNull(request);
        Assert.Empty(errors);
    }

    [Fact]
    public void Read_ParsesBody_WhenPrettyPrinted()
    {
        const string body = "{\n    \"order\": {\n        \"amount\": 20000,\n        \"invoice_number\": \"INV-20210231-0001\"\n    },\n"
                            + "    \"payment\": {\n        \"payment_due_date\": 60\n    }\n}";
        var request = Read(body, out var errors);

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal(20000, request.Order.Amount);
        Assert.Equal("INV-20210231-0001", request.Order.InvoiceNumber);
        Assert.Equal(60, request.Payment!.PaymentDueDate);
    }

    [Fact]
    public void Read_UnescapesSlashes_WhenPhpClientEscapesThem()
    {
        // PHP clients escape slashes; the value must come out unescaped.
        var request = Read("""{"order":{"amount":1,"invoice_number":"A","callback_url":"https:\/\/shop.example.com\/back"}}""",
            out var errors);
        Assert.Empty(errors);
        Assert.Equal("https://shop.example.com/back", request!.Order.CallbackUrl);
    }

    [Fact]
    public void Read_TreatsNullAsAbsent_WhenOptionalFieldsAreNull()
    {
        var request = Read("""
            {"order":{"amount":1,"invoice_number":"A","currency":null,"line_items":null,"auto_redirect":null},
             "payment":null,"customer":null,"shipping_address":null,"billing_address":null,"additional_info":null}
            """, out var errors);
        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Null(request.Order.Currency);
        Assert.Null(request.Order.LineItems);
        Assert.Null(request.Payment);
        Assert.Null(request.Customer);
    }

    [Fact]
    public void Read_AcceptsBooleanStrings_WhenPluginsSendThem()
    {
        var request = Read(WithOrder("\"amount\":1,\"auto_redirect\":\"true\",\"disable_retry_payment\":\"false\""), out var errors);
        Assert.Empty(errors);
        Assert.True(request!.Order.AutoRedirect);
        Assert.False(request.Order.DisableRetryPayment);
    }

    [Fact]
    public void Read_ReportsField_WhenStringHoldsInvalidUtf8()
    {
        var body = Encoding.UTF8.GetBytes("""{"order":{"amount":1,"invoice_number":"AB"}}""");
        body[Array.IndexOf(body, (byte)'B')] = 0xFF;

        var request = Read(body, out var errors);

        Assert.NotNull(request);
        Assert.Equal(["order.invoice_number must be valid Unicode text"], errors);
    }

    [Theory]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A\ud800"}}""", "order.invoice_number must be valid Unicode text")]
    [InlineData("""{"order":{"amount":"1\udc00","invoice_number":"A"}}""", "order.amount must be a number")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A","auto_redirect":"\ud800"}}""", "order.auto_redirect must be a boolean")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A"},"payment":{"payment_method_types":["\ud800"]}}""", "payment.payment_method_types[0] must be a string")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A"},"additional_info":{"allow_tenor":["\ud800"]}}""", "additional_info.allow_tenor[0] must be a number")]
    public void Read_ReportsField_WhenStringHoldsLoneSurrogateEscape(string json, string expected)
    {
        var request = Read(json, out var errors);
        Assert.NotNull(request);
        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A"},"customer":{"name":"Budi\u0000"}}""", "customer.name must not contain control characters")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A"},"customer":{"email":"a\u001b@b.c"}}""", "customer.email must not contain control characters")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A"},"customer":{"address":"Jl.\u0085"}}""", "customer.address must not contain control characters")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A"},"payment":{"payment_method_types":["QRIS\u0000"]}}""", "payment.payment_method_types[0] must not contain control characters")]
    [InlineData("""{"order":{"amount":1,"invoice_number":"A","line_items":[{"name":"x","sku":"\u0007"}]}}""", "order.line_items[0].sku must not contain control characters")]
    public void Read_ReportsField_WhenStringHoldsControlCharacter(string json, string expected)
    {
        var request = Read(json, out var errors);
        Assert.NotNull(request);
        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Read_AcceptsLineBreaksAndTabs_InFreeText()
    {
        var request = Read("""{"order":{"amount":1,"invoice_number":"A"},"customer":{"address":"Jl. Merdeka 1\r\nBlok\tB"}}""", out var errors);

        Assert.Empty(errors);
        Assert.Equal("Jl. Merdeka 1\r\nBlok\tB", request!.Customer!.Address);
    }

    [Fact]
    public void Read_KeepsEntryPositions_WhenPaymentMethodTypeHasWrongType()
    {
        var request = Read("""{"order":{"amount":1,"invoice_number":"A"},"payment":{"payment_method_types":["QRIS",7,"EMONEY_OVO"]}}""",
            out var errors);
        Assert.Equal(["payment.payment_method_types[1] must be a string"], errors);
        Assert.Equal("EMONEY_OVO", request!.Payment!.PaymentMethodTypes![2]);
    }
}
