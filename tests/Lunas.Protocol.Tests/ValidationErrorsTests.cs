using Lunas.Protocol.Checkout;

namespace Lunas.Protocol.Tests;

public class ValidationErrorsTests
{
    [Fact]
    public void Has_IsTrueOnlyForTheExactPath_WhenAnErrorWasAdded()
    {
        var errors = new ValidationErrors();
        errors.Add("order.line_items[1]", "must be an object");

        Assert.True(errors.Has("order.line_items[1]"));
        Assert.False(errors.Has("order.line_items"));
        Assert.False(errors.Has("order.line_items[1].name"));
        Assert.False(errors.Has("order.line_items[10]"));
    }

    [Fact]
    public void Messages_JoinPathAndMessage_InTheOrderAdded()
    {
        var errors = new ValidationErrors();
        errors.Add("order.amount", "must greater than 0");
        errors.Add(FieldError.Body, "must be filled");

        Assert.Equal(["order.amount must greater than 0", "request body must be filled"], errors.Messages());
        Assert.Equal(new FieldError("order.amount", "must greater than 0"), errors.Errors[0]);
    }

    [Fact]
    public void Messages_KeepsTheFirst99AndCountsTheRest_WhenThereAreMoreThan100()
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < 160_000; i++) errors.Add($"order.line_items[{i}]", "must be an object");

        var messages = errors.Messages();

        Assert.Equal(ValidationErrors.MaxMessages, messages.Count);
        Assert.Equal("order.line_items[98] must be an object", messages[98]);
        Assert.Equal("... and 159,901 more errors", messages[99]);
        Assert.True(errors.Has("order.line_items[159999]"));
    }

    [Fact]
    public void Messages_ListsAll_WhenThereAreExactly100()
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < 100; i++) errors.Add($"order.line_items[{i}]", "must be an object");

        Assert.Equal("order.line_items[99] must be an object", errors.Messages()[99]);
    }

    [Theory]
    [InlineData("order", "line_items", CheckoutRules.MaxLineItems, "{}")]
    [InlineData("payment", "payment_method_types", CheckoutRules.MaxPaymentMethodTypes, "\"VIRTUAL_ACCOUNT_BCA\"")]
    [InlineData("additional_info", "allow_tenor", CheckoutRules.MaxTenors, "3")]
    public void Read_ReportsOnceAndReadsOnlyTheCap_WhenAnArrayIsTooLong(string parent, string field, int max, string entry)
    {
        var entries = string.Join(",", Enumerable.Repeat(entry, 160_000));
        var order = parent == "order" ? $$""","line_items":[{{entries}}]""" : "";
        var other = parent == "order" ? "" : $$""","{{parent}}":{"{{field}}":[{{entries}}]}""";
        var json = $$"""{"order":{"amount":1000,"invoice_number":"INV-1"{{order}}}{{other}}}""";
        var errors = new ValidationErrors();

        var request = CheckoutRequestReader.Read(System.Text.Encoding.UTF8.GetBytes(json), errors);

        Assert.Equal([$"{parent}.{field} must have at most {max} entries"], errors.Messages());
        var count = parent switch
        {
            "order" => request!.Order.LineItems!.Count,
            "payment" => request!.Payment!.PaymentMethodTypes!.Count,
            _ => request!.AdditionalInfo!.AllowTenor!.Count,
        };
        Assert.Equal(max, count);
    }
}
