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
}
