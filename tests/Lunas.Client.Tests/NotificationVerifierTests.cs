using System.Text;
using Lunas.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Lunas.Client.Tests;

/// <summary>The notification verifier: valid, or the reason why not.</summary>
public class NotificationVerifierTests
{
    private const string ClientId = "MCH-0001-10791114622547";
    private const string SecretKey = "SK-NOTIFY-0123456789";
    private const string Path = "/payments/notifications";
    private static readonly DateTimeOffset SentAt = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"order":{"invoice_number":"INV-1","amount":150000},"transaction":{"status":"SUCCESS"}}""");

    private readonly FakeTimeProvider _clock = new(SentAt);

    private DokuNotificationVerifier Verifier(TimeSpan? tolerance = null) => new(new DokuCheckoutOptions
    {
        ClientId = ClientId,
        SecretKey = SecretKey,
        NotificationTimestampTolerance = tolerance ?? TimeSpan.FromMinutes(5),
    }, _clock);

    private static Dictionary<string, string> Signed(byte[] body, string path = Path, string secretKey = SecretKey,
        string clientId = ClientId, string timestamp = "2025-03-01T08:00:00Z")
        => SignedRequests.Headers(clientId, secretKey, "c2b6a7a0-5b0c-4a5e-9c55-2f0e8c9d1a11", timestamp, path, body);

    [Fact]
    public void Verify_Accepts_WhenSignedForThisPathBodyAndKey()
    {
        var result = Verifier().Verify(Signed(Body), Body, Path);

        Assert.True(result.IsValid, result.Reason);
        Assert.Null(result.Reason);
    }

    [Fact]
    public void Verify_Accepts_WhenHeadersComeAsAspNetHeaderDictionaryInAnyCase()
    {
        var headers = new HeaderDictionary();
        foreach (var (key, value) in Signed(Body))
        {
            headers[key.ToLowerInvariant()] = value;
        }

        Assert.True(Verifier().Verify(headers, Body, Path).IsValid);
    }

    [Fact]
    public void Verify_Rejects_WhenBodyIsTampered()
    {
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("150000", "1500000", StringComparison.Ordinal));

        var result = Verifier().Verify(Signed(Body), tampered, Path);

        Assert.False(result.IsValid);
        Assert.Equal($"Signature does not match the body, Request-Target {Path} and this merchant's Secret Key", result.Reason);
    }

    [Fact]
    public void Verify_Rejects_WhenSignedForAnotherPath()
    {
        var result = Verifier().Verify(Signed(Body, path: "/other/notifications"), Body, Path);

        Assert.False(result.IsValid);
        Assert.Contains("Signature does not match", result.Reason);
    }

    [Fact]
    public void Verify_Rejects_WhenSignedWithAnotherSecretKey()
    {
        var result = Verifier().Verify(Signed(Body, secretKey: "SK-SOMEONE-ELSE"), Body, Path);

        Assert.False(result.IsValid);
        Assert.Contains("Signature does not match", result.Reason);
    }

    [Fact]
    public void Verify_Rejects_WhenTimestampIsOutsideTheTolerance()
    {
        var headers = Signed(Body);
        var verifier = Verifier();

        _clock.Advance(TimeSpan.FromMinutes(4));
        var withinTolerance = verifier.Verify(headers, Body, Path);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var stale = verifier.Verify(headers, Body, Path);

        Assert.True(withinTolerance.IsValid, withinTolerance.Reason);
        Assert.False(stale.IsValid);
        Assert.StartsWith("Request-Timestamp 2025-03-01T08:00:00Z is more than 5 minutes from this server's time", stale.Reason);
    }

    [Fact]
    public void Verify_UsesConfiguredTolerance_WhenSet()
    {
        var headers = Signed(Body);
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.False(Verifier(TimeSpan.FromMinutes(1)).Verify(headers, Body, Path).IsValid);
        Assert.True(Verifier(TimeSpan.FromMinutes(3)).Verify(headers, Body, Path).IsValid);
    }

    [Fact]
    public void Verify_Accepts_WhenTimestampHasAFraction()
    {
        var result = Verifier().Verify(Signed(Body, timestamp: "2025-03-01T08:00:00.123Z"), Body, Path);

        Assert.True(result.IsValid, result.Reason);
    }

    [Fact]
    public void Verify_Rejects_WhenTimestampIsMalformed()
    {
        var result = Verifier().Verify(Signed(Body, timestamp: "01/03/2025 08:00"), Body, Path);

        Assert.False(result.IsValid);
        Assert.Contains("is not UTC in the form yyyy-MM-ddTHH:mm:ssZ", result.Reason);
    }

    [Fact]
    public void Verify_Rejects_WhenClientIdIsAnotherMerchants()
    {
        var result = Verifier().Verify(Signed(Body, clientId: "MCH-OTHER"), Body, Path);

        Assert.False(result.IsValid);
        Assert.Equal("Client-Id MCH-OTHER is not this merchant's Client-Id", result.Reason);
    }

    [Fact]
    public void Verify_NamesTheMissingHeaders_WhenSomeAreAbsent()
    {
        var headers = Signed(Body);
        headers.Remove("Signature");
        headers.Remove("Request-Id");

        var result = Verifier().Verify(headers, Body, Path);

        Assert.False(result.IsValid);
        Assert.Equal("missing header(s): Request-Id, Signature", result.Reason);
    }

    [Fact]
    public void Verify_Rejects_WhenSignatureIsNotHmacForm()
    {
        var headers = Signed(Body);
        headers["Signature"] = "sha256=abc";

        var result = Verifier().Verify(headers, Body, Path);

        Assert.False(result.IsValid);
        Assert.Contains("HMACSHA256=", result.Reason);
    }

    [Fact]
    public void Verify_Rejects_WhenAHeaderIsSentTwice()
    {
        var headers = new HeaderDictionary();
        foreach (var (key, value) in Signed(Body))
        {
            headers[key] = value;
        }
        headers["Signature"] = new Microsoft.Extensions.Primitives.StringValues([headers["Signature"].ToString(), "HMACSHA256=x"]);

        var result = Verifier().Verify(headers, Body, Path);

        Assert.False(result.IsValid);
        Assert.Equal("header(s) sent more than once: Signature", result.Reason);
    }
}
