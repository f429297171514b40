using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Console;

/// <summary>The notifications page's sandbox forms over HTTP: the signed API's store and rules, and nothing when the sandbox is off.</summary>
public abstract class ConsoleSandboxTests : ServerTest
{
    [SkippableFact]
    public async Task FaultForm_StoresWhatTheSignedApiLists()
    {
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();

        using var set = await console.PostAsync("/console/notification-faults", await console.TokenAsync("/console/notifications"),
            ("kind", "drop"), ("number", "2"), ("times", "3"), ("channel", "QRIS"));

        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        using var listed = await Server.GetSignedAsync("/sandbox/v1/notification-faults");
        var fault = Assert.Single((await Json.ReadAsync(listed)).GetProperty("faults").EnumerateArray());
        Assert.Equal("drop", fault.GetProperty("kind").GetString());
        Assert.Equal(2, fault.GetProperty("attempts").GetInt32());
        Assert.Equal(3, fault.GetProperty("times").GetInt32());
        Assert.Equal("QRIS", fault.GetProperty("channel").GetString());

        using var clear = await console.PostAsync("/console/notification-faults/clear", await console.TokenAsync("/console/notifications"));
        Assert.Equal(HttpStatusCode.Redirect, clear.StatusCode);
        using var after = await Server.GetSignedAsync("/sandbox/v1/notification-faults");
        Assert.Equal(0, (await Json.ReadAsync(after)).GetProperty("faults").GetArrayLength());
    }

    [SkippableTheory]
    [InlineData("delay", "", "1", "", "Number: seconds must be filled")]
    [InlineData("duplicate", "1", "1", "", "Number: copies must be a whole number from 2 to 10")]
    [InlineData("drop", "1", "0", "", "Times (notifications it applies to): times must be a whole number from 1 to 1000")]
    [InlineData("drop", "1", "99999999999", "", "Times (notifications it applies to): times must be a whole number from 1 to 1000")]
    [InlineData("drop", "1", "1", "NOT_A_CHANNEL", "Channel: channel must be a DOKU payment method")]
    [InlineData("explode", "", "1", "", "Fault: kind &quot;explode&quot; is not a fault kind")]
    public async Task FaultForm_Returns400NamingTheField_AndStoresNothing(string kind, string number, string times, string channel, string message)
    {
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();

        using var response = await console.PostAsync("/console/notification-faults", await console.TokenAsync("/console/notifications"),
            ("kind", kind), ("number", number), ("times", times), ("channel", channel));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var listed = await Server.GetSignedAsync("/sandbox/v1/notification-faults");
        Assert.Equal(0, (await Json.ReadAsync(listed)).GetProperty("faults").GetArrayLength());
    }

    [SkippableFact]
    public async Task ReceiverCheck_Returns400_WhenTheMerchantHasNoNotificationUrl()
    {
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();

        using var response = await console.PostAsync("/console/receiver-check", await console.TokenAsync("/console/notifications"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Set a notification URL first.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class ConsoleSandboxTests_Sqlite : ConsoleSandboxTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ConsoleSandboxTests_Postgres : ConsoleSandboxTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

/// <summary>With the sandbox off the notifications page has no test controls, and their forms answer 404.</summary>
public sealed class ConsoleSandboxOffTests : ServerTest
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Lunas:Sandbox:Enabled"] = "false" };

    [Fact]
    public async Task NotificationsPage_HasNoSandboxControls_AndTheirFormsAnswer404()
    {
        using var console = new ConsoleClient(Server);
        await console.SignInOkAsync();

        using var page = await console.GetAsync("/console/notifications");
        var html = await page.Content.ReadAsStringAsync();
        var token = await console.TokenAsync("/console/notifications");
        using var set = await console.PostAsync("/console/notification-faults", token, ("kind", "duplicate"), ("number", "2"), ("times", "1"));
        using var check = await console.PostAsync("/console/receiver-check", token);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("notification-faults", html, StringComparison.Ordinal);
        Assert.DoesNotContain("receiver-check", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, set.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
    }
}
