using Lunas.Protocol.Channels;
using Lunas.Protocol.Payments;

namespace Lunas.Server.Payments;

/// <summary>
/// What each channel family does, on top of <see cref="PaymentStore"/>: the hosted page and the sandbox simulator
/// both go through here, so a simulated payment and a clicked one end in the same state.
/// </summary>
public sealed class PaymentFlows(PaymentStore store, MerchantClock clocks)
{
    /// <summary>The one-time password every simulated direct-debit and 3-D Secure step accepts.</summary>
    public const string TestOtp = "123456";

    public Task<StepResult> StartAsync(SessionRecord session, PaymentMethod method, CancellationToken cancellationToken)
        => store.ChooseChannelAsync(session.SessionId, method, cancellationToken);

    /// <summary>The card form. Returns field errors (nothing stored) or the attempt's result.</summary>
    public async Task<(IReadOnlyList<string> Errors, StepResult? Result)> PayByCardAsync(SessionRecord session, PaymentMethod method,
        string? number, string? expiry, string? cvv, int? tenor, CancellationToken cancellationToken)
    {
        if (method.Family != ChannelFamily.Card) return ([], WrongFlow(session, method, "the card form"));
        var errors = Cards.Validate(number, expiry, cvv, clocks.Now(session)).ToList();
        var type = session.Request.Payment?.Type ?? "SALE";
        if (type == "INSTALLMENT")
        {
            var tenors = InstallmentTenors(session);
            if (tenor is null || !tenors.Contains(tenor.Value))
            {
                errors.Add($"tenor must be one of {string.Join(", ", tenors)}");
            }
        }
        if (errors.Count > 0)
        {
            return (errors, null);
        }
        var digits = Cards.Normalize(number)!;
        var outcome = Cards.OutcomeFor(digits);
        var result = await store.PayNowAsync(session.SessionId, method, outcome switch
        {
            CardOutcome.Approve => StepOutcome.Success,
            CardOutcome.Decline => StepOutcome.Failed,
            CardOutcome.Challenge => StepOutcome.Redirect,
        }, (attempt, d) =>
        {
            d.MaskedCardNumber = Cards.Mask(digits);
            d.CardBrand = Cards.Brand(digits);
            d.TransactionType = type;
            d.Tenor = type == "INSTALLMENT" ? tenor : null;
            DescribeCardOutcome(d, outcome, attempt.AttemptId);
        }, cancellationToken);
        return ([], result);
    }

    /// <summary>The issuer's answer to a 3-D Secure challenge.</summary>
    public async Task<StepResult> AnswerChallengeAsync(SessionRecord session, bool passed, CancellationToken cancellationToken)
    {
        var attempt = (await store.AttemptsAsync(session.SessionId, cancellationToken)).LastOrDefault(a => a.Status == TransactionStatus.Redirect);
        if (attempt is null)
        {
            return new StepResult(session.Status == TransactionStatus.Success ? Refusal.AlreadyPaid : Refusal.NotPayable, session,
                Message: "no 3-D Secure challenge is waiting for this order");
        }
        return await store.CompleteAsync(attempt.AttemptId, passed ? StepOutcome.Success : StepOutcome.Failed,
            d => DescribeCardOutcome(d, passed ? CardOutcome.Approve : CardOutcome.Decline, attempt.AttemptId), cancellationToken);
    }

    /// <summary>The provider's approval step of e-money, paylater and online banking (simulated).</summary>
    public async Task<StepResult> ApproveAsync(SessionRecord session, PaymentMethod method, bool approved, int? tenor, string? account,
        CancellationToken cancellationToken)
    {
        if (method.Family is not (ChannelFamily.EMoney or ChannelFamily.Paylater or ChannelFamily.OnlineBanking))
        {
            return WrongFlow(session, method, "a provider approval");
        }
        if (method.Family == ChannelFamily.Paylater && approved && tenor is not null && !PaylaterTenors(session).Contains(tenor.Value))
        {
            return new StepResult(Refusal.NotPayable, session, Message: $"tenor must be one of {string.Join(", ", PaylaterTenors(session))}");
        }
        return await store.PayNowAsync(session.SessionId, method, approved ? StepOutcome.Success : StepOutcome.Failed, (attempt, d) =>
        {
            d.AccountId = string.IsNullOrWhiteSpace(account) ? session.Request.Customer?.Phone ?? "628000000000" : account;
            d.ApprovalCode = approved ? Cards.ApprovalCode(attempt.AttemptId) : null;
            d.Tenor = method.Family == ChannelFamily.Paylater ? tenor ?? PaylaterTenors(session)[0] : null;
            d.ResponseMessage = approved ? "APPROVED" : "REJECTED_BY_CUSTOMER";
        }, cancellationToken);
    }

    /// <summary>Direct debit: the bank's one-time password.</summary>
    public async Task<StepResult> ConfirmOtpAsync(SessionRecord session, PaymentMethod method, string? otp, CancellationToken cancellationToken)
    {
        if (method.Family != ChannelFamily.DirectDebit) return WrongFlow(session, method, "a direct-debit OTP");
        var passed = otp?.Trim() == TestOtp;
        return await store.PayNowAsync(session.SessionId, method, passed ? StepOutcome.Success : StepOutcome.Failed, (attempt, d) =>
        {
            d.MaskedCardNumber = "522184******" + (session.Request.Customer?.Id is { Length: >= 4 } id ? DigitsOf(id) : "0001");
            DescribeCardOutcome(d, passed ? CardOutcome.Approve : CardOutcome.Decline, attempt.AttemptId);
            if (!passed) d.ResponseMessage = "INVALID_OTP";
        }, cancellationToken);
    }

    /// <summary>The outside party pays a code it was given: a bank a VA number, a store a payment code, a wallet a QRIS.</summary>
    public async Task<StepResult> PayCodeAsync(ChannelFamily family, string code, long? amount, string? payer, CancellationToken cancellationToken)
    {
        var attempt = await store.FindAttemptByCodeAsync(family, code, cancellationToken);
        if (attempt is null) return new StepResult(Refusal.NotFound, Message: "no open payment has this code");
        return await store.CompleteAsync(attempt.AttemptId, StepOutcome.Success, d => DescribeCodePaid(d, family, attempt.AttemptId, payer),
            cancellationToken, amount);
    }

    /// <summary>What the paying bank, store or wallet reports for a paid code.</summary>
    private static void DescribeCodePaid(AttemptDetails d, ChannelFamily family, string attemptId, string? payer)
    {
        d.PaidBy = payer;
        d.Reference = "LNS" + attemptId[..9].ToUpperInvariant();
        d.ApprovalCode = Cards.ApprovalCode(attemptId);
        if (family == ChannelFamily.Qris) d.Issuer = string.IsNullOrWhiteSpace(payer) ? "NOBU" : payer.ToUpperInvariant();
    }

    /// <summary>
    /// The sandbox shortcut: what a customer and the channel would do, ending in <paramref name="success"/>.
    /// </summary>
    public async Task<StepResult> SimulateAsync(SessionRecord session, PaymentMethod method, bool success, CancellationToken cancellationToken)
    {
        switch (method.Family)
        {
            case ChannelFamily.Card:
                var (errors, card) = await PayByCardAsync(session, method, success ? "4111111111111111" : "4000000000000002",
                    clocks.Now(session).AddYears(2).ToString("MM/yy", System.Globalization.CultureInfo.InvariantCulture), "123",
                    session.Request.Payment?.Type == "INSTALLMENT" ? InstallmentTenors(session)[0] : null, cancellationToken);
                return card ?? new StepResult(Refusal.NotPayable, session, Message: string.Join("; ", errors));
            case ChannelFamily.DirectDebit:
                return await ConfirmOtpAsync(session, method, success ? TestOtp : "000000", cancellationToken);
            case ChannelFamily.EMoney:
            case ChannelFamily.Paylater:
            case ChannelFamily.OnlineBanking:
                return await ApproveAsync(session, method, success, null, null, cancellationToken);
            default:
                // The code is issued and paid (or failed) in one isolated write: one commit, and a refusal leaves no attempt.
                return await store.PayNowAsync(session.SessionId, method, success ? StepOutcome.Success : StepOutcome.Failed, (attempt, d) =>
                {
                    if (success) DescribeCodePaid(d, method.Family, attempt.AttemptId, "SANDBOX");
                    else d.ResponseMessage = "FAILED_BY_SIMULATOR";
                }, cancellationToken);
        }
    }

    /// <summary>The order's time runs out now, as if its expiry had come.</summary>
    public Task<StepResult> ExpireNowAsync(SessionRecord session, CancellationToken cancellationToken)
        => store.ExpireNowAsync(session.SessionId, cancellationToken);

    /// <summary>Each family is paid only through its own flow: a VA is never "approved", a card never skips its checks.</summary>
    private static StepResult WrongFlow(SessionRecord session, PaymentMethod method, string flow)
        => new(Refusal.ChannelNotAllowed, session, Message: $"{method.Value} is not paid through {flow}");

    /// <summary>The QRIS payload of an attempt, built from its reference (so it never has to be stored).</summary>
    public static string QrisPayload(SessionRecord session, AttemptRecord attempt)
    {
        // A 19-digit PAN as QRIS's: 9360, an NNS and merchant digits, and a Luhn check digit.
        var digits = "93600" + (StableHash(session.MerchantId) % 10_000_000_000_000UL).ToString("D13", System.Globalization.CultureInfo.InvariantCulture);
        var pan = digits + Cards.LuhnCheckDigit(digits);
        // Tag 59 carries printable ASCII only: a name written wholly in another script falls back to a placeholder.
        var name = session.MerchantName.Take(Qris.MaxNameLength).Any(c => c is >= '!' and <= '~') ? session.MerchantName : "MERCHANT";
        var merchant = new QrisMerchant(name, "JAKARTA", "10110", pan,
            session.MerchantId.Length > 15 ? session.MerchantId[^15..] : session.MerchantId, "ID10" + pan[^11..], "5999");
        return Qris.Build(merchant, session.Amount, attempt.PayCode!);
    }

    public static IReadOnlyList<int> InstallmentTenors(SessionRecord session)
    {
        var allowed = session.Request.AdditionalInfo?.AllowTenor is { Count: > 0 } tenors ? tenors : [0, 3, 6, 12];
        return allowed.Distinct().Order().ToList();
    }

    public static IReadOnlyList<int> PaylaterTenors(SessionRecord session)
        => session.Request.AdditionalInfo?.AllowTenor is { Count: > 0 } tenors
            ? tenors.Where(t => t > 0).DefaultIfEmpty(1).Distinct().Order().ToList()
            : [1, 3, 6, 12];

    private static void DescribeCardOutcome(AttemptDetails d, CardOutcome outcome, string seed)
    {
        switch (outcome)
        {
            case CardOutcome.Approve:
                d.ApprovalCode = Cards.ApprovalCode(seed);
                d.ResponseCode = "00";
                d.ResponseMessage = "PAYMENT_APPROVED";
                break;
            case CardOutcome.Decline:
                d.ApprovalCode = null;
                d.ResponseCode = "05";
                d.ResponseMessage = "DO_NOT_HONOR";
                break;
            case CardOutcome.Challenge:
                d.ResponseCode = null;
                d.ResponseMessage = "3DS_CHALLENGE_REQUIRED";
                break;
        }
    }

    private static string DigitsOf(string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray()).PadLeft(4, '0');
        return digits[^4..];
    }

    private static ulong StableHash(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
