using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Signing;

namespace Lunas.Protocol.Tests;

/// <summary>The DOKU non-SNAP signature against the shared test vectors (spec section 1).</summary>
public class SignatureVectorTests
{
    private sealed record Vector(string Name, string RequestTarget, string ClientId, string RequestId,
        string TimestampHeader, string Timestamp, string? Body, string? Digest, string StringToSign, string Signature);

    private sealed record VectorFile(string SecretKey, IReadOnlyList<Vector> Vectors, IReadOnlyDictionary<string, string> Negative);

    private static readonly Lazy<VectorFile> Data = new(Load);

    private static string SecretKey => Data.Value.SecretKey;

    private static VectorFile Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.SignatureVectors));
        var root = doc.RootElement;
        var vectors = root.GetProperty("vectors").EnumerateArray().Select(v => new Vector(
            v.GetProperty("name").GetString()!,
            v.GetProperty("request_target").GetString()!,
            v.GetProperty("client_id").GetString()!,
            v.GetProperty("request_id").GetString()!,
            v.GetProperty("timestamp_header").GetString()!,
            v.GetProperty("timestamp").GetString()!,
            v.GetProperty("body").GetString(),
            v.GetProperty("digest").GetString(),
            v.GetProperty("string_to_sign").GetString()!,
            v.GetProperty("signature").GetString()!)).ToList();
        var negative = root.GetProperty("negative").EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("signature").GetString()!);
        return new VectorFile(root.GetProperty("secret_key").GetString()!, vectors, negative);
    }

    private static Vector Get(string name) => Data.Value.Vectors.Single(v => v.Name == name);

    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        foreach (var vector in Data.Value.Vectors)
        {
            data.Add(vector.Name);
        }
        return data;
    }

    [Fact]
    public void VectorFile_CoversPostGetNotificationResponseAndPrettyBody()
    {
        // Guards the theories below against silently running over an empty or shrunken file.
        var names = Data.Value.Vectors.Select(v => v.Name).ToHashSet();
        Assert.Superset(new HashSet<string>(["checkout-post-basic", "check-status-get", "notification-post-va",
            "response-signature", "checkout-post-pretty-body"]), names);
        Assert.Contains("negative-trailing-newline", Data.Value.Negative.Keys);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Digest_EqualsVectorDigest_ForEveryVector(string name)
    {
        var v = Get(name);
        if (v.Body is null)
        {
            Assert.Null(v.Digest);
            Assert.DoesNotContain("Digest:", v.StringToSign, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(v.Digest, DokuSignature.Digest(Encoding.UTF8.GetBytes(v.Body)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void StringToSign_EqualsVectorString_ForEveryVector(string name)
    {
        var v = Get(name);
        var actual = DokuSignature.StringToSign(v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, v.Digest, v.TimestampHeader);
        Assert.Equal(v.StringToSign, actual);
        Assert.False(actual.EndsWith('\n'));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Sign_EqualsVectorSignature_ForEveryVector(string name)
    {
        var v = Get(name);
        Assert.Equal(v.Signature,
            DokuSignature.Sign(SecretKey, v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, v.Digest, v.TimestampHeader));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void SignBody_EqualsVectorSignature_ForEveryVector(string name)
    {
        var v = Get(name);
        var body = v.Body is null ? [] : Encoding.UTF8.GetBytes(v.Body);
        Assert.Equal(v.Signature, DokuSignature.SignBody(SecretKey, v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget,
            body, hasBody: v.Body is not null, v.TimestampHeader));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Verify_AcceptsVectorSignature_ForEveryVector(string name)
    {
        var v = Get(name);
        Assert.True(DokuSignature.Verify(SecretKey, v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, v.Digest,
            v.Signature, v.TimestampHeader));
        Assert.True(DokuSignature.IsWellFormed(v.Signature));
    }

    [Fact]
    public void Verify_RejectsNegativeTrailingNewlineSignature_ForBasicCheckout()
    {
        var v = Get("checkout-post-basic");
        var negative = Data.Value.Negative["negative-trailing-newline"];

        // The negative value really is what a signer appending "\n" produces, so rejecting it means rejecting that bug.
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SecretKey), Encoding.UTF8.GetBytes(v.StringToSign + "\n"));
        Assert.Equal(negative, DokuSignature.Prefix + Convert.ToBase64String(mac));

        Assert.False(DokuSignature.Verify(SecretKey, v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, v.Digest, negative));
    }

    [Fact]
    public void Verify_Rejects_WhenBodyDigestTampered()
    {
        var v = Get("checkout-post-basic");
        var tampered = DokuSignature.Digest(Encoding.UTF8.GetBytes(v.Body!.Replace("20000", "20001", StringComparison.Ordinal)));
        Assert.NotEqual(v.Digest, tampered);
        Assert.False(DokuSignature.Verify(SecretKey, v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, tampered, v.Signature));
    }

    [Fact]
    public void Verify_Rejects_WhenPrettyPrintedBodyDigestUsedForCompactSignature()
    {
        // The digest covers the raw bytes: the same JSON re-serialised is a different request.
        var compact = Get("checkout-post-basic");
        var pretty = Get("checkout-post-pretty-body");
        Assert.False(DokuSignature.Verify(SecretKey, compact.ClientId, compact.RequestId, compact.Timestamp,
            compact.RequestTarget, pretty.Digest, compact.Signature));
    }

    [Fact]
    public void Verify_Rejects_WhenDigestDroppedFromPostSignature()
    {
        var v = Get("checkout-post-basic");
        Assert.False(DokuSignature.Verify(SecretKey, v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, null, v.Signature));
    }

    [Fact]
    public void Verify_Rejects_WhenKeyWrong()
    {
        var v = Get("checkout-post-basic");
        Assert.False(DokuSignature.Verify("SK-TESTKEY-1234567891", v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget,
            v.Digest, v.Signature));
        Assert.False(DokuSignature.Verify("", v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, v.Digest, v.Signature));
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("request_id")]
    [InlineData("timestamp")]
    [InlineData("request_target")]
    [InlineData("timestamp_header")]
    public void Verify_Rejects_WhenAnySignedComponentChanged(string component)
    {
        var v = Get("checkout-post-basic");
        var clientId = component == "client_id" ? v.ClientId + "X" : v.ClientId;
        var requestId = component == "request_id" ? v.RequestId + "X" : v.RequestId;
        var timestamp = component == "timestamp" ? "2020-08-11T08:45:43Z" : v.Timestamp;
        var target = component == "request_target" ? v.RequestTarget + "/" : v.RequestTarget;
        var header = component == "timestamp_header" ? DokuSignature.ResponseTimestamp : DokuSignature.RequestTimestamp;
        Assert.False(DokuSignature.Verify(SecretKey, clientId, requestId, timestamp, target, v.Digest, v.Signature, header));
    }

    public static TheoryData<string> MalformedSignatures()
    {
        var good = Get("checkout-post-basic").Signature;
        var mac = good[DokuSignature.Prefix.Length..];
        var bytes = Convert.FromBase64String(mac);
        return new TheoryData<string>
        {
            mac,                                                             // no prefix
            "hmacsha256=" + mac,                                             // prefix in the wrong case
            "HMACSHA256 =" + mac,                                            // mangled prefix
            DokuSignature.Prefix,                                            // nothing after the prefix
            "",
            DokuSignature.Prefix + "!!!!" + mac[4..],                        // not base64
            DokuSignature.Prefix + mac.TrimEnd('='),                         // base64 without its padding
            DokuSignature.Prefix + Convert.ToBase64String(bytes[..31]),      // 31 bytes
            DokuSignature.Prefix + Convert.ToBase64String([.. bytes, 0]),    // 33 bytes
            DokuSignature.Prefix + Convert.ToBase64String([.. bytes, .. bytes]), // 64 bytes
        };
    }

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public void Verify_Rejects_WhenSignatureMalformed(string signature)
    {
        var v = Get("checkout-post-basic");
        Assert.False(DokuSignature.Verify(SecretKey, v.ClientId, v.RequestId, v.Timestamp, v.RequestTarget, v.Digest, signature));
        Assert.False(DokuSignature.IsWellFormed(signature));
    }

    [Fact]
    public void IsWellFormed_False_WhenNull()
    {
        Assert.False(DokuSignature.IsWellFormed(null));
    }

    [Theory]
    [InlineData("2020-08-11T08:45:42Z", 0)]
    [InlineData("2020-08-11T08:45:42.123Z", 123)]
    public void TryParseTimestamp_Accepts_WhenUtcWithOptionalFraction(string value, int milliseconds)
    {
        Assert.True(DokuSignature.TryParseTimestamp(value, out var instant));
        Assert.Equal(new DateTimeOffset(2020, 8, 11, 8, 45, 42, milliseconds, TimeSpan.Zero), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Theory]
    [InlineData("2020-08-11 08:45:42")]
    [InlineData("2020-08-11T08:45:42+07:00")]
    [InlineData("2020-08-11T08:45:42")]
    [InlineData("2020-08-11T08:45Z")]
    [InlineData("11/08/2020 08:45:42")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseTimestamp_Rejects_WhenNotDokuUtcFormat(string? value)
    {
        Assert.False(DokuSignature.TryParseTimestamp(value, out var instant));
        Assert.Equal(default, instant);
    }

    [Fact]
    public void FormatTimestamp_WritesUtcSecondsWithZ_WhenGivenOffsetTime()
    {
        var wib = new DateTimeOffset(2020, 9, 22, 8, 51, 0, 500, TimeSpan.FromHours(7));
        var text = DokuSignature.FormatTimestamp(wib);
        Assert.Equal("2020-09-22T01:51:00Z", text);
        Assert.True(DokuSignature.TryParseTimestamp(text, out var back));
        Assert.Equal(new DateTimeOffset(2020, 9, 22, 1, 51, 0, TimeSpan.Zero), back);
    }
}
