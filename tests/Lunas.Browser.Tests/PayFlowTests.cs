using System.Net;
using Lunas.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Lunas.Browser.Tests;

/// <summary>A customer paying on the hosted page, each channel family's flow end to end.</summary>
public sealed class PayFlowTests(BrowserFixture fixture) : PageTest(fixture)
{
    [Fact]
    public async Task VirtualAccount_PageShowsSuccessByItself_WhenBankPaysTheNumberShown()
    {
        var order = await CreateAsync();
        await OpenAsync(order.Url);

        var number = await ChooseVirtualAccountAsync("VIRTUAL_ACCOUNT_BCA");
        await ExpectTextAsync(Page.Locator("#flow-title"), "BCA", "the BCA instructions");
        await ExpectTextAsync(Page.Locator(".code-label"), "Virtual account number", "the virtual account label");
        var paid = await PayVirtualAccountAsync(number);
        Assert.True(paid.Status == HttpStatusCode.OK, $"simulator: {(int)paid.Status} {paid.Body}");

        // No reload from the test: the page's own poll of /state must notice the payment and reload.
        await ExpectTextAsync(SuccessHeading, "Payment successful", "the success page after the poll", PollTimeout);
        await AssertStatusAsync(order.Invoice, "SUCCESS", "VIRTUAL_ACCOUNT_BCA");
        var status = await StatusAsync(order.Invoice);
        Assert.Equal(number, status.GetProperty("virtual_account_info").GetProperty("virtual_account_number").GetString());
    }

    [Fact]
    public async Task Card_ShowsSuccess_WhenApprovedCardIsSubmitted()
    {
        var order = await CreateAsync();
        await OpenAsync(order.Url);

        await PayByCardAsync("4111 1111 1111 1111");

        await ExpectTextAsync(SuccessHeading, "Payment successful", "the success page");
        await AssertStatusAsync(order.Invoice, "SUCCESS", "CREDIT_CARD");
    }

    [Fact]
    public async Task Card_ShowsFailedAndOffersMethods_ThenAnotherChannelPays_WhenCardIsDeclined()
    {
        var order = await CreateAsync();
        await OpenAsync(order.Url);

        await PayByCardAsync("4000000000000002");

        await ExpectTextAsync(FailedHeading, "Payment failed", "the failed page");
        await ExpectAsync(() => Assertions.Expect(MethodButton("VIRTUAL_ACCOUNT_BCA")).ToBeVisibleAsync(), "the method list under the failure");
        await ExpectAsync(() => Assertions.Expect(MethodButton("CREDIT_CARD")).ToBeVisibleAsync(), "the card offered again");
        await AssertStatusAsync(order.Invoice, "FAILED", "CREDIT_CARD");

        var number = await ChooseVirtualAccountAsync("VIRTUAL_ACCOUNT_BCA");
        await ExpectAsync(() => Assertions.Expect(FailedHeading).ToHaveCountAsync(0), "no failure shown once another method is chosen");
        var paid = await PayVirtualAccountAsync(number);
        Assert.True(paid.Status == HttpStatusCode.OK, $"simulator: {(int)paid.Status} {paid.Body}");

        await ExpectTextAsync(SuccessHeading, "Payment successful", "the success page after the poll", PollTimeout);
        await AssertStatusAsync(order.Invoice, "SUCCESS", "VIRTUAL_ACCOUNT_BCA");
    }

    [Fact]
    public async Task Card3ds_ShowsSuccess_WhenChallengeOtpIsRight()
    {
        var order = await CreateAsync();
        await OpenAsync(order.Url);

        await PayByCardAsync("4000000000003220");
        await ExpectTextAsync(Page.Locator("#flow-title"), "3-D Secure verification", "the 3-D Secure challenge");
        await AssertStatusAsync(order.Invoice, "REDIRECT");
        await Page.Locator("#otp").FillAsync("123456");
        await Page.Locator("form:has(#otp) button[type=submit]").ClickAsync();

        await ExpectTextAsync(SuccessHeading, "Payment successful", "the success page");
        await AssertStatusAsync(order.Invoice, "SUCCESS", "CREDIT_CARD");
    }

    [Fact]
    public async Task Card3ds_ShowsFailed_WhenChallengeOtpIsWrong()
    {
        var order = await CreateAsync();
        await OpenAsync(order.Url);

        await PayByCardAsync("4000000000003220");
        await ExpectAsync(() => Assertions.Expect(Page.Locator("#otp")).ToBeVisibleAsync(), "the 3-D Secure challenge");
        await Page.Locator("#otp").FillAsync("654321");
        await Page.Locator("form:has(#otp) button[type=submit]").ClickAsync();

        await ExpectTextAsync(FailedHeading, "Payment failed", "the failed page");
        await ExpectAsync(() => Assertions.Expect(SuccessHeading).ToHaveCountAsync(0), "no success");
        await AssertStatusAsync(order.Invoice, "FAILED", "CREDIT_CARD");
    }

    [Fact]
    public async Task Expiry_ShowsExpiredAndSimulatorRefusesLateTransfer_WhenDueDatePassed()
    {
        var order = await CreateAsync(Request(Lunas.Server.Tests.Infrastructure.Seed.NewInvoice(),
            r => r["payment"]!["payment_due_date"] = 1));
        await OpenAsync(order.Url);
        var number = await ChooseVirtualAccountAsync();
        // Leave the instructions page (it polls and would reload by itself), then let the due date pass.
        await Page.GotoAsync("about:blank");

        Server.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5));

        await OpenAsync(order.Url);
        await ExpectTextAsync(ExpiredHeading, "This order has expired", "the expired page");
        await ExpectAsync(() => Assertions.Expect(Page.Locator(".methods")).ToHaveCountAsync(0), "no payment method offered");
        await ExpectAsync(() => Assertions.Expect(Page.Locator("#pay-code")).ToHaveCountAsync(0), "no virtual account number offered");

        var late = await PayVirtualAccountAsync(number);
        Assert.True(late.Status == HttpStatusCode.Conflict, $"late transfer: {(int)late.Status} {late.Body}");
        var status = await StatusAsync(order.Invoice);
        Assert.Equal("EXPIRED", status.GetProperty("transaction").GetProperty("status").GetString());
        Assert.Equal("ORDER_EXPIRED", status.GetProperty("order").GetProperty("status").GetString());
    }
}
