using System.Net;
using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Console;

/// <summary>
/// DataProtection's keys live in the database: instances sharing one accept each other's console cookies and
/// antiforgery tokens, a restart keeps them, and a Lunas on another database (same machine, same home directory) does not.
/// </summary>
public sealed class ConsoleKeyRingTests_Postgres : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.CreatePostgres();
        // Started together, as behind a load balancer: the start-up lock lets one make the first key, the other reads it.
        var started = await Task.WhenAll(TestServer.StartAsync(_database), TestServer.StartAsync(_database));
        (_a, _b) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        _database?.Dispose();
    }

    [SkippableFact]
    public async Task SessionAndFormToken_IssuedByOneInstance_AreAcceptedByTheOther()
    {
        using var onA = new ConsoleClient(_a);
        await onA.SignInOkAsync();
        var tokenFromA = await onA.TokenAsync("/console/notifications");
        using var onB = new ConsoleClient(_b, onA.Cookies);

        using var page = await onB.GetAsync("/console/orders");
        using var saved = await onB.PostAsync("/console/notification-url", tokenFromA, ("merchant", TestServer.ClientId),
            ("notification_url", "https://merchant.example/notify"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/console/notifications?saved=1", saved.Headers.Location!.OriginalString);
        Assert.Equal(1, await ConsoleKeyRing.KeyCountAsync(_b));
    }
}

public sealed class ConsoleKeyRingTests_Sqlite : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestDatabase _other = null!;

    public Task InitializeAsync()
    {
        _database = TestDatabase.CreateSqlite();
        _other = TestDatabase.CreateSqlite();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        _other.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Session_SurvivesARestart_AndIsRefusedByALunasOnAnotherDatabase()
    {
        CookieContainer cookies;
        await using (var before = await TestServer.StartAsync(_database))
        {
            using var console = new ConsoleClient(before);
            await console.SignInOkAsync();
            cookies = console.Cookies;
        }

        await using var after = await TestServer.StartAsync(_database);
        using var again = new ConsoleClient(after, cookies);
        using var page = await again.GetAsync("/console/orders");
        await using var elsewhere = await TestServer.StartAsync(_other);
        using var stranger = new ConsoleClient(elsewhere, cookies);
        using var refused = await stranger.GetAsync("/console/orders");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(1, await ConsoleKeyRing.KeyCountAsync(after));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/console/sign-in", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}

internal static class ConsoleKeyRing
{
    /// <summary>The keys (not revocations) in the server's data_protection_keys table.</summary>
    public static async Task<int> KeyCountAsync(TestServer server)
    {
        var database = server.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT COUNT(*) FROM data_protection_keys WHERE friendly_name LIKE 'key-%'");
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
