using Lunas.Protocol.Payments;

namespace Lunas.Protocol.Tests;

/// <summary>The simulated card form: test cards, Luhn, brands, masking, form validation and approval codes.</summary>
public class CardsTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 10, 0, 0, TimeSpan.FromHours(7));

    private const string Visa = "4111111111111111";
    private const string Amex = "378282246310005";

    // ---- test cards -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("4111111111111111", CardOutcome.Approve)]
    [InlineData("5555555555554444", CardOutcome.Approve)]
    [InlineData("4000000000000002", CardOutcome.Decline)]
    [InlineData("4000000000003220", CardOutcome.Challenge)]
    public void OutcomeFor_GivesTheDocumentedOutcome(string number, CardOutcome outcome)
    {
        Assert.Equal(outcome, Cards.OutcomeFor(number));
    }

    [Fact]
    public void TestCards_AreLuhnValidAndListTheirBrand()
    {
        Assert.Equal(4, Cards.TestCards.Count);
        foreach (var (number, brand, outcome) in Cards.TestCards)
        {
            Assert.True(Cards.IsLuhnValid(number), number);
            Assert.Equal(brand, Cards.Brand(number));
            Assert.Equal(outcome, Cards.OutcomeFor(number));
        }
        Assert.Contains(Cards.TestCards, c => c is { Number: "4111111111111111", Brand: "VISA", Outcome: CardOutcome.Approve });
        Assert.Contains(Cards.TestCards, c => c is { Number: "5555555555554444", Brand: "MASTERCARD", Outcome: CardOutcome.Approve });
    }

    [Theory]
    [InlineData("4012888888881881")]
    [InlineData(Amex)]
    [InlineData("3530111333300000")]
    public void OutcomeFor_Approves_AnyOtherLuhnValidNumber(string number)
    {
        Assert.Equal(CardOutcome.Approve, Cards.OutcomeFor(number));
    }

    [Fact]
    public void OutcomeFor_IgnoresSpacesAndDashes()
    {
        Assert.Equal(CardOutcome.Challenge, Cards.OutcomeFor("4000 0000 0000 3220"));
        Assert.Equal(CardOutcome.Decline, Cards.OutcomeFor("4000-0000-0000-0002"));
    }

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("")]
    [InlineData("abc")]
    public void OutcomeFor_Declines_InvalidNumbers(string number)
    {
        Assert.Equal(CardOutcome.Decline, Cards.OutcomeFor(number));
    }

    // ---- normalisation and Luhn -----------------------------------------------------------------------------------

    [Theory]
    [InlineData("4111 1111 1111 1111", "4111111111111111")]
    [InlineData("4111-1111-1111-1111", "4111111111111111")]
    [InlineData(" 4111 - 1111 ", "41111111")]
    [InlineData("0", "0")]
    public void Normalize_StripsSpacesAndDashes(string input, string expected)
    {
        Assert.Equal(expected, Cards.Normalize(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("4111.1111.1111.1111")]
    [InlineData("4111a111")]
    [InlineData("4111\t1111")]
    [InlineData("\u0664\u0661\u0661\u0661")] // Arabic-Indic digits are not ASCII digits
    public void Normalize_ReturnsNull_ForAnythingElse(string? input)
    {
        Assert.Null(Cards.Normalize(input));
    }

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("5555555555554444")]
    [InlineData("378282246310005")]
    [InlineData("4222222222222")] // 13 digits
    [InlineData("6011000990139424")]
    [InlineData("4000000000000000006")] // 19 digits
    [InlineData("000000000000")] // 12 digits
    public void IsLuhnValid_True_ForValidNumbers(string digits)
    {
        Assert.True(Cards.IsLuhnValid(digits));
    }

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("5555555555554445")]
    [InlineData("00000000000")] // 11 digits, Luhn-valid but too short
    [InlineData("00000000000000000000")] // 20 digits
    [InlineData("4111 1111 1111 1111")]
    [InlineData("411111111111111a")]
    [InlineData("")]
    public void IsLuhnValid_False_ForInvalidNumbers(string digits)
    {
        Assert.False(Cards.IsLuhnValid(digits));
    }

    // ---- brand and mask -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("4111111111111111", "VISA")]
    [InlineData("5105105105105100", "MASTERCARD")]
    [InlineData("5555555555554444", "MASTERCARD")]
    [InlineData("2221000000000009", "MASTERCARD")]
    [InlineData("2720990000000000", "MASTERCARD")]
    [InlineData("2223003122003222", "MASTERCARD")]
    [InlineData("378282246310005", "AMEX")]
    [InlineData("341111111111111", "AMEX")]
    [InlineData("3528000000000000", "JCB")]
    [InlineData("3530111333300000", "JCB")]
    [InlineData("3589000000000000", "JCB")]
    [InlineData("5011111111111111", "CARD")]
    [InlineData("5611111111111111", "CARD")]
    [InlineData("2220999999999999", "CARD")]
    [InlineData("2721000000000000", "CARD")]
    [InlineData("3527000000000000", "CARD")]
    [InlineData("3590000000000000", "CARD")]
    [InlineData("6011000990139424", "CARD")]
    [InlineData("", "CARD")]
    [InlineData("3", "CARD")]
    public void Brand_IsDetectedByPrefix(string digits, string brand)
    {
        Assert.Equal(brand, Cards.Brand(digits));
    }

    [Theory]
    [InlineData("4111111111111111", "411111******1111")]
    [InlineData("378282246310005", "378282*****0005")]
    [InlineData("4000000000000000006", "400000*********0006")]
    [InlineData("000000000000", "********0000")]
    [InlineData("30569309025904", "**********5904")]
    [InlineData("1234567", "***4567")]
    [InlineData("123", "***")]
    public void Mask_KeepsFirstSixAndLastFour(string digits, string masked)
    {
        Assert.Equal(masked, Cards.Mask(digits));
        Assert.Equal(digits.Length, masked.Length);
    }

    [Theory]
    [InlineData("411111111111111", '1')]
    [InlineData("7992739871", '3')]
    [InlineData("936000000000000001", '7')]
    public void LuhnCheckDigit_MakesTheNumberValid(string digits, char expected)
    {
        Assert.Equal(expected, Cards.LuhnCheckDigit(digits));
        var whole = digits + expected;
        if (whole.Length >= 12) Assert.True(Cards.IsLuhnValid(whole));
    }

    // ---- Validate -------------------------------------------------------------------------------------------------

    [Fact]
    public void Validate_NoErrors_WhenAllIsWell()
    {
        Assert.Empty(Cards.Validate(Visa, "12/27", "123", Now));
        Assert.Empty(Cards.Validate("4111 1111 1111 1111", "12/2027", "123", Now));
        Assert.Empty(Cards.Validate(Amex, "01/30", "1234", Now));
    }

    [Theory]
    [InlineData(null, "card_number must be filled")]
    [InlineData("", "card_number must be filled")]
    [InlineData("  ", "card_number must be filled")]
    [InlineData("4111x111111111111", "card_number must contain only digits, spaces or dashes")]
    [InlineData("41111111111", "card_number must be 12 to 19 digits")]
    [InlineData("41111111111111111111", "card_number must be 12 to 19 digits")]
    [InlineData("4111111111111112", "card_number is not a valid card number")]
    public void Validate_ReportsCardNumber(string? number, string error)
    {
        Assert.Equal([error], Cards.Validate(number, "12/27", "123", Now));
    }

    [Theory]
    [InlineData("06/25")] // this month, YY
    [InlineData("06/2025")] // this month, YYYY
    [InlineData("07/25")]
    [InlineData("01/26")]
    [InlineData(" 06/25 ")]
    [InlineData("12/2099")]
    public void Validate_AcceptsExpiry(string expiry)
    {
        Assert.Empty(Cards.Validate(Visa, expiry, "123", Now));
    }

    [Theory]
    [InlineData("05/25", "expiry is in the past")] // last month
    [InlineData("05/2025", "expiry is in the past")]
    [InlineData("12/24", "expiry is in the past")]
    [InlineData("06/2024", "expiry is in the past")]
    [InlineData("13/30", "expiry month must be 01-12")]
    [InlineData("00/30", "expiry month must be 01-12")]
    [InlineData("abc", "expiry must be MM/YY or MM/YYYY")]
    [InlineData("6/25", "expiry must be MM/YY or MM/YYYY")]
    [InlineData("06-25", "expiry must be MM/YY or MM/YYYY")]
    [InlineData("06/025", "expiry must be MM/YY or MM/YYYY")]
    [InlineData("06/2a", "expiry must be MM/YY or MM/YYYY")]
    [InlineData("0625", "expiry must be MM/YY or MM/YYYY")]
    [InlineData(null, "expiry must be filled")]
    [InlineData("", "expiry must be filled")]
    public void Validate_ReportsExpiry(string? expiry, string error)
    {
        Assert.Equal([error], Cards.Validate(Visa, expiry, "123", Now));
    }

    [Fact]
    public void Validate_CardIsValidThroughTheEndOfItsMonth()
    {
        var lastMoment = new DateTimeOffset(2025, 6, 30, 23, 59, 59, TimeSpan.FromHours(7));
        var nextMonth = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.FromHours(7));
        Assert.Empty(Cards.Validate(Visa, "06/25", "123", lastMoment));
        Assert.Equal(["expiry is in the past"], Cards.Validate(Visa, "06/25", "123", nextMonth));
    }

    [Theory]
    [InlineData(Visa, "12", "cvv must be 3 digits")]
    [InlineData(Visa, "1234", "cvv must be 3 digits")]
    [InlineData(Visa, "12a", "cvv must be 3 digits")]
    [InlineData(Visa, null, "cvv must be filled")]
    [InlineData(Visa, "", "cvv must be filled")]
    [InlineData(Amex, "123", "cvv must be 4 digits for AMEX")]
    [InlineData(Amex, "12345", "cvv must be 4 digits for AMEX")]
    public void Validate_ReportsCvv(string number, string? cvv, string error)
    {
        Assert.Equal([error], Cards.Validate(number, "12/27", cvv, Now));
    }

    [Fact]
    public void Validate_AmexNeedsFourDigitCvv()
    {
        Assert.Empty(Cards.Validate(Amex, "12/27", "1234", Now));
        Assert.Equal(["cvv must be 4 digits for AMEX"], Cards.Validate(Amex, "12/27", "123", Now));
    }

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce()
    {
        Assert.Equal(
            ["card_number is not a valid card number", "expiry is in the past", "cvv must be 3 digits"],
            Cards.Validate("4111111111111112", "05/25", "12", Now));
        Assert.Equal(
            ["card_number must contain only digits, spaces or dashes", "expiry must be MM/YY or MM/YYYY", "cvv must be 3 or 4 digits"],
            Cards.Validate("not a card", "abc", "12", Now));
        Assert.Equal(
            ["card_number must be filled", "expiry must be filled", "cvv must be filled"],
            Cards.Validate(null, null, null, Now));
    }

    // ---- approval code --------------------------------------------------------------------------------------------

    [Fact]
    public void ApprovalCode_IsSixDigitsAndDeterministic()
    {
        var codes = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var seed = $"attempt-{i}";
            var code = Cards.ApprovalCode(seed);
            Assert.Matches("^[0-9]{6}$", code);
            Assert.Equal(code, Cards.ApprovalCode(seed));
            codes.Add(code);
        }
        // Different seeds spread out rather than collapsing onto a few codes.
        Assert.True(codes.Count > 190, $"only {codes.Count} distinct codes");
        Assert.Matches("^[0-9]{6}$", Cards.ApprovalCode(""));
    }
}
