using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Lunas.Server.Payments;
using Lunas.Server.Infrastructure;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lunas.Server.Tests.Security;

public sealed partial class SessionIdentityTests
{
    [Fact]
    public void Create_GivesATokenOf128RandomBits_IndependentOfTheSessionId()
    {
        var now = DateTimeOffset.UtcNow;
        var identities = Enumerable.Range(0, 2000).Select(_ => SessionIdentity.Create(now, 60)).ToList();

        var stamp = identities[0].TokenId[44..];
        Assert.All(identities, identity =>
        {
            Assert.Matches(TokenShape(), identity.TokenId);
            Assert.Equal(stamp, identity.TokenId[44..]);
            // The first 12 hex digits are the time (so the token index grows at its edge); the 32 after them are random,
            // never the session id's.
            Assert.Equal(identity.SessionId[..12], identity.TokenId[..12]);
            Assert.DoesNotContain(identity.SessionId[12..], identity.TokenId, StringComparison.Ordinal);
        });
        Assert.Equal(identities.Count, identities.Select(i => i.TokenId[12..44]).Distinct().Count());
        // Every random hex digit position takes many values: none of the 128 bits is fixed or derived from the clock.
        for (var position = 12; position < 44; position++)
        {
            Assert.True(identities.Select(i => i.TokenId[position]).Distinct().Count() >= 12, $"hex digit {position} barely varies");
        }
    }

    [Fact]
    public void Create_StampsTokenAndUuidWithTheWibTime_InDokuShapes()
    {
        // 02:47:11.123 UTC is 09:47:11.123 in WIB (UTC+7); DOKU's token stamp puts the minute where the month would be.
        var identities = Enumerable.Range(0, 200)
            .Select(_ => SessionIdentity.Create(new DateTimeOffset(2024, 7, 12, 2, 47, 11, 123, TimeSpan.Zero), 60)).ToList();

        Assert.All(identities, identity =>
        {
            Assert.Equal("20244712094711123", identity.TokenId[44..]);
            Assert.Matches("^2225240712094711123[0-9]{21}$", identity.Uuid);
            Assert.Equal(32, identity.SessionId.Length);
        });
        // The uuid's last 21 digits are drawn, not fixed.
        Assert.Equal(identities.Count, identities.Select(i => i.Uuid).Distinct().Count());
    }

    [GeneratedRegex("^[0-9a-f]{44}[0-9]{17}$")]
    private static partial Regex TokenShape();
}

public sealed class RequestLogRedactionTests
{
    [Theory]
    [InlineData("/checkout-link-v2/0190abcdef", "/checkout-link-v2/***")]
    [InlineData("/checkout-link-v2/0190abcdef/choose", "/checkout-link-v2/***/choose")]
    [InlineData("/CHECKOUT-LINK-V2/0190abcdef/state", "/CHECKOUT-LINK-V2/***/state")]
    [InlineData("/checkout-link-v2/assets/pay.css", "/checkout-link-v2/assets/pay.css")]
    [InlineData("/orders/v1/status/INV-1", "/orders/v1/status/INV-1")]
    public void Redact_HidesThePageToken_AndKeepsOtherPaths(string path, string expected)
        => Assert.Equal(expected, RequestLogging.Redact(new PathString(path)));
}

/// <summary>The request log over real HTTP: no token, secret key or card number in any line.</summary>
public abstract class RequestLogTests : DatabaseTest
{
    private readonly ConcurrentQueue<string> _lines = new();

    [SkippableFact]
    public async Task RequestLog_HasNoTokenSecretOrCardNumber_ForAPageVisitAndCardPayment()
    {
        await using var server = await TestServer.StartAsync(Database, new Dictionary<string, string?> { ["Lunas:RequestLog"] = "true" },
            configure: builder =>
            {
                builder.Logging.AddFilter("Lunas.Server.Infrastructure.RequestLogging", LogLevel.Information);
                builder.Services.AddSingleton<ILoggerProvider>(new CapturingProvider(_lines));
            });
        var order = await server.CreateAsync();

        using (var page = await server.Http.GetAsync($"/checkout-link-v2/{order.Token}")) Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using (var card = await server.SubmitAsync(order, "card", ("channel", "CREDIT_CARD"), ("card_number", "4111111111111111"),
                   ("expiry", "12/39"), ("cvv", "123")))
        {
            Assert.True(card.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, card.StatusCode.ToString());
        }
        using (var hostile = await server.PostSignedAsync("/checkout/v1/payment", "{}", clientId: new string('C', 29 * 1024)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, hostile.StatusCode);
        }

        // A request's log line is written as its response completes, which can be just after the client has the answer.
        string[] expected = ["GET /checkout-link-v2/*** 200", "POST /checkout-link-v2/***/card", "client=(invalid)"];
        for (var waited = 0; waited < 100 && !expected.All(e => _lines.Any(l => l.Contains(e, StringComparison.Ordinal))); waited++)
        {
            await Task.Delay(50);
        }
        var lines = _lines.ToArray();
        Assert.Contains(lines, l => l.Contains("GET /checkout-link-v2/*** 200", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("POST /checkout-link-v2/***/card", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("client=(invalid)", StringComparison.Ordinal));
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain(order.Token, line, StringComparison.Ordinal);
            Assert.DoesNotContain(order.Token[12..44], line, StringComparison.Ordinal);
            Assert.DoesNotContain(TestServer.SecretKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain("4111111111111111", line, StringComparison.Ordinal);
            Assert.True(line.Length < 1024, "a log line carries a hostile header: " + line[..Math.Min(200, line.Length)]);
        });
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) => lines.Enqueue(formatter(state, exception) + exception);
        }
    }
}

public sealed class RequestLogTests_Sqlite : RequestLogTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class RequestLogTests_Postgres : RequestLogTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
