using System.Text.RegularExpressions;
using Lunas.Protocol.Payments;

namespace Lunas.Protocol.Tests;

/// <summary>QRIS payloads (EMVCo merchant-presented mode): building, the CRC and defensive parsing.</summary>
public class QrisTests
{
    private static readonly QrisMerchant Merchant = new(
        "Toko Lunas", "Jakarta", "12190", "936000000000000001", "LUNAS-M-001", "ID1020000000001", "5411");

    private static string Sample(long amount = 150000, string reference = "INV-2025-0001") => Qris.Build(Merchant, amount, reference);

    // Built independently (in Python) from the field layout, CRC included.
    private const string GoldenPayload =
        "000201" + "010212"
        + "2663" + "0015ID.CO.LUNAS.WWW" + "0118936000000000000001" + "0211LUNAS-M-001" + "0303UMI"
        + "5144" + "0014ID.CO.QRIS.WWW" + "0215ID1020000000001" + "0303UMI"
        + "52045411" + "5303360" + "5406150000" + "5802ID" + "5910Toko Lunas" + "6007Jakarta" + "610512190"
        + "6220" + "0105INV-1" + "0707LUNAS01"
        + "63042DFE";

    private static void AssertRejected(string? payload)
    {
        var ok = Qris.TryParse(payload, out var parsed, out var error);
        Assert.False(ok);
        Assert.Null(parsed);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    // ---- CRC ------------------------------------------------------------------------------------------------------

    [Fact]
    public void Crc16_MatchesCcittFalseCheckValue()
    {
        Assert.Equal("29B1", Qris.Crc16("123456789"));
    }

    [Fact]
    public void Crc16_IsInitialValue_ForEmptyInput()
    {
        Assert.Equal("FFFF", Qris.Crc16(""));
    }

    [Fact]
    public void Crc16_MatchesIndependentImplementation()
    {
        // Computed with Python's binascii.crc_hqx(data, 0xFFFF), which is CRC-16/CCITT-FALSE.
        Assert.Equal("B915", Qris.Crc16("A"));
        Assert.Equal("2DFE", Qris.Crc16(GoldenPayload.AsSpan(0, GoldenPayload.Length - 4)));
    }

    // ---- Build ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Build_EndsWithCrcTagAndFourUppercaseHexDigits()
    {
        var payload = Sample();
        Assert.Matches(new Regex("6304[0-9A-F]{4}$"), payload);
        Assert.Equal(Qris.Crc16(payload.AsSpan(0, payload.Length - 4)), payload[^4..]);
    }

    [Fact]
    public void Build_WritesTheExpectedPayload()
    {
        Assert.Equal(GoldenPayload, Sample(150000, "INV-1"));
    }

    [Fact]
    public void Build_RoundTripsThroughTryParse()
    {
        var payload = Sample(150000, "INV-2025-0001");

        Assert.True(Qris.TryParse(payload, out var parsed, out var error), error);
        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(150000, parsed.Amount);
        Assert.Equal("INV-2025-0001", parsed.Reference);
        Assert.Equal("Toko Lunas", parsed.MerchantName);
        Assert.Equal("01", parsed.Fields["00"]);
        Assert.Equal("12", parsed.Fields["01"]);
        Assert.Equal("360", parsed.Fields["53"]);
        Assert.Equal("ID", parsed.Fields["58"]);
        Assert.Equal("Jakarta", parsed.Fields["60"]);
        Assert.Equal(payload[^4..], parsed.Fields["63"]);
    }

    [Fact]
    public void Build_TruncatesAndCleansNameAndCity()
    {
        var merchant = Merchant with { Name = "Warung Kopi Ñusantara\tJaya Abadi Sentosa", City = "Kota Administrasi Jakarta Selatan" };
        var payload = Qris.Build(merchant, 1000, "R1");

        Assert.True(Qris.TryParse(payload, out var parsed, out var error), error);
        Assert.Equal("Warung Kopi  usantara Jay", parsed!.MerchantName);
        Assert.Equal(25, parsed.MerchantName!.Length);
        Assert.Equal("Kota Administra", parsed.Fields["60"]);
    }

    [Fact]
    public void Build_AcceptsReferenceOf25Characters()
    {
        var reference = new string('R', 25);
        Assert.True(Qris.TryParse(Sample(reference: reference), out var parsed, out var error), error);
        Assert.Equal(reference, parsed!.Reference);
    }

    [Fact]
    public void Build_Throws_WhenReferenceIsLongerThan25Characters()
    {
        Assert.Throws<ArgumentException>(() => Sample(reference: new string('R', 26)));
    }

    [Fact]
    public void Build_Throws_WhenArgumentsAreUnusable()
    {
        Assert.Throws<ArgumentNullException>(() => Qris.Build(null!, 1000, "R1"));
        Assert.Throws<ArgumentNullException>(() => Qris.Build(Merchant, 1000, null!));
        Assert.Throws<ArgumentException>(() => Qris.Build(Merchant, 1000, ""));
        Assert.Throws<ArgumentException>(() => Qris.Build(Merchant, 1000, "INV-é"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Qris.Build(Merchant, 0, "R1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Qris.Build(Merchant, -5, "R1"));
        Assert.Throws<ArgumentException>(() => Qris.Build(Merchant with { MerchantPan = "93600A" }, 1000, "R1"));
        Assert.Throws<ArgumentException>(() => Qris.Build(Merchant with { Mcc = "541" }, 1000, "R1"));
        Assert.Throws<ArgumentException>(() => Qris.Build(Merchant with { Name = "\u00e9\u00e9" }, 1000, "R1"));
    }

    // ---- TryParse -------------------------------------------------------------------------------------------------

    [Fact]
    public void TryParse_FailsCrc_WhenOneCharacterChanges()
    {
        var payload = Sample();
        var index = payload.IndexOf("Toko", StringComparison.Ordinal);
        var tampered = payload[..index] + "X" + payload[(index + 1)..];

        Assert.False(Qris.TryParse(tampered, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains("CRC", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_FailsCrc_WhenAmountDigitChanges()
    {
        var payload = Sample(150000);
        var tampered = payload.Replace("5406150000", "5406950000", StringComparison.Ordinal);
        Assert.NotEqual(payload, tampered);

        Assert.False(Qris.TryParse(tampered, out _, out var error));
        Assert.Contains("CRC", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_FailsCrc_WhenCrcItselfChanges()
    {
        var payload = Sample();
        var wrong = payload[^4] == '0' ? '1' : '0';
        AssertRejected(payload[..^4] + wrong + payload[^3..]);
    }

    [Fact]
    public void TryParse_AcceptsLowercaseCrc()
    {
        var payload = Sample();
        var lower = payload[..^4] + payload[^4..].ToLowerInvariant();
        Assert.True(Qris.TryParse(lower, out _, out var error), error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(50)]
    public void TryParse_ReturnsFalse_WhenTruncated(int removed)
    {
        var payload = Sample();
        AssertRejected(payload[..^removed]);
    }

    [Fact]
    public void TryParse_ReturnsFalse_ForEveryPrefixOfAValidPayload()
    {
        var payload = Sample();
        for (var length = 0; length < payload.Length; length++)
        {
            AssertRejected(payload[..length]);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("garbage")]
    [InlineData("hello world, this is not a QR payload at all")]
    [InlineData("0")]
    [InlineData("000")]
    [InlineData("0002")]
    [InlineData("000201")]
    [InlineData("AB0201")]
    [InlineData("00X201")]
    [InlineData("00-101")]
    [InlineData("000299")]
    [InlineData("6304FFFF")]
    [InlineData("0002016304")]
    [InlineData("0002016304ZZZZ")]
    [InlineData("00020163050FFFF")]
    public void TryParse_ReturnsFalseWithoutThrowing_ForMalformedInput(string? payload)
    {
        AssertRejected(payload);
    }

    [Fact]
    public void TryParse_ReturnsFalse_ForControlAndNonAsciiCharacters()
    {
        AssertRejected("\u00000201");
        AssertRejected("0002\u00e901");
        var body = "000201" + "5903T\u00e9k" + "6304";
        AssertRejected(body + Qris.Crc16(body));
        body = "000201" + "5903T\nk" + "6304";
        AssertRejected(body + Qris.Crc16(body));
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenALengthFieldIsWrong()
    {
        var payload = Sample(150000);
        // 54 declares 6 characters ("150000"); claim 7 and 5 instead, keeping the CRC as it was.
        AssertRejected(payload.Replace("5406150000", "5407150000", StringComparison.Ordinal));
        AssertRejected(payload.Replace("5406150000", "5405150000", StringComparison.Ordinal));
        // Even with a freshly computed CRC, a wrong length breaks the structure.
        var relengthed = payload.Replace("5406150000", "5499150000", StringComparison.Ordinal)[..^4];
        AssertRejected(relengthed + Qris.Crc16(relengthed));
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenPayloadFormatIndicatorIsNot01()
    {
        var body = "000202" + "5802ID" + "6304";
        Assert.False(Qris.TryParse(body + Qris.Crc16(body), out _, out var error));
        Assert.Contains("00", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenCrcIsNotLast()
    {
        var body = "000201" + "6304";
        var withCrc = body + Qris.Crc16(body);
        AssertRejected(withCrc + "5802ID");
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenCrcIsMissing()
    {
        AssertRejected("000201" + "5802ID");
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenATagRepeats()
    {
        var body = "000201" + "5802ID" + "5802ID" + "6304";
        AssertRejected(body + Qris.Crc16(body));
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenATemplateIsMalformed()
    {
        var body = "000201" + "6205" + "01XYZ" + "6304";
        AssertRejected(body + Qris.Crc16(body));
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenAmountIsNotANumber()
    {
        var body = "000201" + "54031X0" + "6304";
        AssertRejected(body + Qris.Crc16(body));
    }

    [Fact]
    public void TryParse_LeavesOptionalValuesNull_WhenAbsent()
    {
        var body = "000201" + "010211" + "5802ID" + "6304";
        Assert.True(Qris.TryParse(body + Qris.Crc16(body), out var parsed, out var error), error);
        Assert.Null(parsed!.Amount);
        Assert.Null(parsed.Reference);
        Assert.Null(parsed.MerchantName);
        Assert.Equal("11", parsed.Fields["01"]);
    }

    [Fact]
    public void TryParse_AcceptsAmountWithZeroDecimals()
    {
        var body = "000201" + "540810000.00" + "6304";
        Assert.True(Qris.TryParse(body + Qris.Crc16(body), out var parsed, out var error), error);
        Assert.Equal(10000, parsed!.Amount);
    }

    [Fact]
    public void TryParse_NeverThrows_OnRandomMutations()
    {
        var payload = Sample();
        var random = new Random(20250601);
        const string alphabet = "0123456789ABCDEFabcdef ./-\u00e9\u0000";
        for (var i = 0; i < 2000; i++)
        {
            var chars = payload.ToCharArray();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            }
            var mutated = new string(chars, 0, random.Next(chars.Length + 1));
            var ok = Qris.TryParse(mutated, out var parsed, out var error);
            Assert.Equal(ok, parsed is not null);
            Assert.Equal(ok, error is null);
        }
    }
}
