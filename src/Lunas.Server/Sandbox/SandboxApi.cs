using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Payments;
using Lunas.Protocol.Wire;
using Lunas.Server.Payments;
using Lunas.Server.Security;
using Lunas.Server.Status;
using Lunas.Server.OpenApi;

namespace Lunas.Server.Sandbox;

/// <summary>
/// The other side of each channel, for tests: what a bank, a store, a wallet or a card issuer would do. Signed with
/// the merchant's keys like every merchant API; off when <c>Lunas:Sandbox:Enabled</c> is false.
/// </summary>
public static class SandboxApi
{
    /// <summary>Maps the simulator; the caller leaves it out when <c>Lunas:Sandbox:Enabled</c> is false.</summary>
    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup("/sandbox/v1");
        sandbox.MapPost("/payments", PayAsync)
            .Describe(OpenApiSetup.SimulatorTag, "SimulatePayment", "The customer pays (or fails) through a channel",
                "On the newest checkout of the invoice (the paid one if any): the channel is chosen and the payment succeeds or "
                + "fails, and the notification goes out.")
            .Takes<SimulatedPayment>().SimulatorAnswers();
        sandbox.MapPost("/virtual-accounts/payments", (SignedRequest signed, PaymentStore store, PaymentFlows flows, CancellationToken ct) =>
            PayCodeAsync(signed, store, flows, ChannelFamily.VirtualAccount, "virtual_account_number", ct))
            .Describe(OpenApiSetup.SimulatorTag, "PayVirtualAccount", "The bank: a transfer to an issued virtual account number")
            .Takes<VirtualAccountTransfer>().SimulatorAnswers();
        sandbox.MapPost("/convenience-stores/payments", (SignedRequest signed, PaymentStore store, PaymentFlows flows, CancellationToken ct) =>
            PayCodeAsync(signed, store, flows, ChannelFamily.ConvenienceStore, "payment_code", ct))
            .Describe(OpenApiSetup.SimulatorTag, "PayConvenienceStore", "The store: a payment at the counter with an issued code")
            .Takes<StorePayment>().SimulatorAnswers();
        sandbox.MapPost("/qris/payments", PayQrisAsync)
            .Describe(OpenApiSetup.SimulatorTag, "PayQris", "A wallet scans the QRIS code and pays")
            .Takes<QrisScan>().SimulatorAnswers();
        sandbox.MapPost("/cards/challenges", AnswerChallengeAsync)
            .Describe(OpenApiSetup.SimulatorTag, "AnswerChallenge", "The issuer answers a waiting 3-D Secure challenge")
            .Takes<ChallengeAnswer>().SimulatorAnswers();
        sandbox.MapPost("/expirations", ExpireAsync)
            .Describe(OpenApiSetup.SimulatorTag, "ExpireOrder", "The order's time runs out now")
            .Takes<Expiration>().SimulatorAnswers();
        sandbox.RequireDokuSignature(hasBody: true, requestIdUse: RequestIdUse.OnceWithFirstWrite);
        app.MapSandboxControls();
        return app;
    }

    /// <summary>What every simulator step answers: the status body after it, or why it was refused.</summary>
    private static RouteHandlerBuilder SimulatorAnswers(this RouteHandlerBuilder builder) => builder
        .Answers<Lunas.Client.DokuOrderStatus>(200, "The order's status body after the step, as the status API answers it.")
        .Fails(400, "A field is missing or invalid, the channel is not offered, or the amount is not the order's.")
        .Fails(404, "The merchant has no such invoice or open code.")
        .Fails(409, "The order's state does not allow it (paid, expired, cancelled), or the Request-Id was used before.");

    /// <summary><c>{"invoice_number", "payment_method_type", "result": "SUCCESS"|"FAILED"}</c> on the newest session of the invoice.</summary>
    private static async Task<ApiReply> PayAsync(SignedRequest signed, PaymentStore store, PaymentFlows flows,
        CancellationToken cancellationToken)
    {
        if (!TryReadObject(signed.Body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var invoice = Field(root, "invoice_number", errors);
        var channel = Field(root, "payment_method_type", errors);
        var result = Field(root, "result", errors);
        var method = PaymentMethods.Find(channel);
        if (channel is not null && method is null) errors.Add($"payment_method_type \"{channel}\" is not a DOKU payment method");
        if (result is not null and not ("SUCCESS" or "FAILED")) errors.Add("result must be SUCCESS or FAILED");
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));

        return await OnInvoiceAsync(signed, store, invoice!,
            session => flows.SimulateAsync(session, method!, result == "SUCCESS", cancellationToken), cancellationToken);
    }

    private static async Task<ApiReply> PayCodeAsync(SignedRequest signed, PaymentStore store, PaymentFlows flows,
        ChannelFamily family, string codeField, CancellationToken cancellationToken)
    {
        if (!TryReadObject(signed.Body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var code = Field(root, codeField, errors);
        var amount = OptionalAmount(root, errors);
        var payer = Optional(root, "channel", errors);
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        return await PayOwnCodeAsync(signed, store, flows, new OwnCode(family, code!, amount, payer, codeField), cancellationToken);
    }

    /// <summary><c>{"qr_content": "000201…6304ABCD", "issuer": "GOPAY"}</c>: a QRIS-capable wallet scans and pays.</summary>
    private static async Task<ApiReply> PayQrisAsync(SignedRequest signed, PaymentStore store, PaymentFlows flows,
        CancellationToken cancellationToken)
    {
        if (!TryReadObject(signed.Body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var content = Field(root, "qr_content", errors);
        var issuer = Optional(root, "issuer", errors);
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        if (!Qris.TryParse(content, out var payload, out var why)) return ApiReply.Error(400, $"qr_content is not a valid QRIS payload: {why}");
        if (payload!.Reference is null) return ApiReply.Error(400, "qr_content has no bill number (tag 62, sub-tag 01)");
        return await PayOwnCodeAsync(signed, store, flows,
            new OwnCode(ChannelFamily.Qris, payload.Reference, payload.Amount, issuer, "qr_content"), cancellationToken);
    }

    private readonly record struct OwnCode(ChannelFamily Family, string Code, long? Amount, string? Payer, string Field);

    private static async Task<ApiReply> PayOwnCodeAsync(SignedRequest signed, PaymentStore store, PaymentFlows flows, OwnCode own,
        CancellationToken cancellationToken)
    {
        var attempt = await store.FindAttemptByCodeAsync(own.Family, own.Code, cancellationToken);
        var session = attempt is null ? null : await store.FindBySessionIdAsync(attempt.SessionId, cancellationToken);
        // Another merchant's code is reported exactly like an unknown one.
        if (session is null || session.MerchantId != signed.ClientId)
        {
            return ApiReply.Error(404, $"{own.Field} {own.Code} is not an open payment of this merchant");
        }
        var step = await flows.PayCodeAsync(own.Family, own.Code, own.Amount, own.Payer, cancellationToken);
        return await ReplyAsync(store, step, session, cancellationToken);
    }

    /// <summary><c>{"invoice_number", "result": "SUCCESS"|"FAILED"}</c>: the issuer's answer to a waiting 3-D Secure challenge.</summary>
    private static async Task<ApiReply> AnswerChallengeAsync(SignedRequest signed, PaymentStore store, PaymentFlows flows,
        CancellationToken cancellationToken)
    {
        if (!TryReadObject(signed.Body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var invoice = Field(root, "invoice_number", errors);
        var result = Field(root, "result", errors);
        if (result is not null and not ("SUCCESS" or "FAILED")) errors.Add("result must be SUCCESS or FAILED");
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        return await OnInvoiceAsync(signed, store, invoice!,
            session => flows.AnswerChallengeAsync(session, result == "SUCCESS", cancellationToken), cancellationToken);
    }

    /// <summary><c>{"invoice_number"}</c>: the order's time runs out now (not for a paid, expired or finally failed order).</summary>
    private static async Task<ApiReply> ExpireAsync(SignedRequest signed, PaymentStore store, PaymentFlows flows,
        CancellationToken cancellationToken)
    {
        if (!TryReadObject(signed.Body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var invoice = Field(root, "invoice_number", errors);
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        return await OnInvoiceAsync(signed, store, invoice!, session => flows.ExpireNowAsync(session, cancellationToken), cancellationToken);
    }

    /// <summary>Runs a step on the invoice's session (the paid one, else the newest); 404 when the merchant has no such invoice.</summary>
    private static async Task<ApiReply> OnInvoiceAsync(SignedRequest signed, PaymentStore store, string invoice,
        Func<SessionRecord, Task<StepResult>> step, CancellationToken cancellationToken)
    {
        var session = await store.FindForMerchantAsync(signed.ClientId, invoice, cancellationToken);
        if (session is null || session.InvoiceNumber != invoice) return ApiReply.Error(404, $"invoice_number {invoice} is not found");
        var result = await step(session);
        return await ReplyAsync(store, result, session, cancellationToken);
    }

    private static async Task<ApiReply> ReplyAsync(PaymentStore store, StepResult step, SessionRecord before, CancellationToken cancellationToken)
    {
        if (!step.Ok)
        {
            var (status, message) = step.Refusal switch
            {
                Refusal.NotFound => (404, step.Message ?? "not found"),
                Refusal.Expired => (409, $"order {before.InvoiceNumber} is expired"),
                Refusal.Cancelled => (409, $"order {before.InvoiceNumber} is cancelled"),
                Refusal.AlreadyPaid => (409, $"order {before.InvoiceNumber} is already paid"),
                Refusal.ChannelNotAllowed => (400, $"payment_method_type is not offered by order {before.InvoiceNumber} (offered: {string.Join(", ", before.PayableMethods)})"),
                Refusal.RetryDisabled => (409, $"order {before.InvoiceNumber} failed and disable_retry_payment forbids another attempt"),
                Refusal.WrongAmount => (400, step.Message ?? "amount does not match the order amount"),
                _ => (409, step.Message ?? "the order cannot be paid now"),
            };
            return ApiReply.Error(status, message);
        }
        var session = step.Session ?? before;
        return new ApiReply(200, await StatusApi.DescribeAsync(store, session, cancellationToken, known: step.Attempt));
    }

    internal static bool TryReadObject(ReadOnlyMemory<byte> body, out JsonElement root, out string error)
    {
        root = default;
        error = "";
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "request body must be a JSON object";
                return false;
            }
            root = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            error = body.IsEmpty ? "request body must be filled" : "request body is not valid JSON";
            return false;
        }
    }

    /// <summary>A required string, read through <see cref="TextGuard"/> like every string of the create body.</summary>
    private static string? Field(JsonElement root, string name, List<string> errors)
    {
        var before = errors.Count;
        var text = Optional(root, name, errors);
        if (text is { Length: > 0 }) return text;
        if (errors.Count == before) errors.Add($"{name} must be filled");
        return null;
    }

    /// <summary>An optional string: null when absent, null or empty; a wrong type or unclean text is an error.</summary>
    private static string? Optional(JsonElement root, string name, List<string> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{name} must be a string");
            return null;
        }
        var problem = TextGuard.Read(value, allowLineBreaks: false, out var text);
        if (problem == TextProblem.None) return text;
        errors.Add($"{name} {TextGuard.Describe(problem)}");
        return null;
    }

    private static long? OptionalAmount(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty("amount", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var amount) && amount > 0) return amount;
        if (value.ValueKind == JsonValueKind.String && TextGuard.Read(value, false, out var text) == TextProblem.None
            && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out amount)
            && amount > 0) return amount;
        errors.Add("amount must be a positive whole number");
        return null;
    }
}
