using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Payments;
using Lunas.Server.Payments;
using Lunas.Server.Security;
using Lunas.Server.Status;

namespace Lunas.Server.Sandbox;

/// <summary>
/// The other side of each channel, for tests: what a bank, a store, a wallet or a card issuer would do. Signed with
/// the merchant's keys like every merchant API; off when <c>Lunas:Sandbox:Enabled</c> is false.
/// </summary>
public static class SandboxApi
{
    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<LunasOptions>().Sandbox.Enabled)
        {
            return app;
        }
        app.MapPost("/sandbox/v1/payments", SignedApi.Create(true, PayAsync));
        app.MapPost("/sandbox/v1/virtual-accounts/payments", SignedApi.Create(true, (c, a, b) =>
            PayCodeAsync(c, a, b, ChannelFamily.VirtualAccount, "virtual_account_number")));
        app.MapPost("/sandbox/v1/convenience-stores/payments", SignedApi.Create(true, (c, a, b) =>
            PayCodeAsync(c, a, b, ChannelFamily.ConvenienceStore, "payment_code")));
        app.MapPost("/sandbox/v1/qris/payments", SignedApi.Create(true, PayQrisAsync));
        app.MapPost("/sandbox/v1/cards/challenges", SignedApi.Create(true, AnswerChallengeAsync));
        return app;
    }

    /// <summary><c>{"invoice_number", "payment_method_type", "result": "SUCCESS"|"FAILED"}</c> on the newest session of the invoice.</summary>
    private static async Task<ApiReply> PayAsync(HttpContext context, Authentication auth, ReadOnlyMemory<byte> body)
    {
        if (!TryReadObject(body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var invoice = Field(root, "invoice_number", errors);
        var channel = Field(root, "payment_method_type", errors);
        var result = Field(root, "result", errors);
        var method = PaymentMethods.Find(channel);
        if (channel is not null && method is null) errors.Add($"payment_method_type \"{channel}\" is not a DOKU payment method");
        if (result is not null and not ("SUCCESS" or "FAILED")) errors.Add("result must be SUCCESS or FAILED");
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));

        return await OnInvoiceAsync(context, auth, invoice!,
            (flows, session) => flows.SimulateAsync(session, method!, result == "SUCCESS", context.RequestAborted));
    }

    private static async Task<ApiReply> PayCodeAsync(HttpContext context, Authentication auth, ReadOnlyMemory<byte> body,
        ChannelFamily family, string codeField)
    {
        if (!TryReadObject(body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var code = Field(root, codeField, errors);
        var amount = OptionalAmount(root, errors);
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        var payer = root.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return await PayOwnCodeAsync(context, auth, family, code!, amount, payer, codeField);
    }

    /// <summary><c>{"qr_content": "000201…6304ABCD", "issuer": "GOPAY"}</c>: a QRIS-capable wallet scans and pays.</summary>
    private static async Task<ApiReply> PayQrisAsync(HttpContext context, Authentication auth, ReadOnlyMemory<byte> body)
    {
        if (!TryReadObject(body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var content = Field(root, "qr_content", errors);
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        if (!Qris.TryParse(content, out var payload, out var why)) return ApiReply.Error(400, $"qr_content is not a valid QRIS payload: {why}");
        if (payload!.Reference is null) return ApiReply.Error(400, "qr_content has no bill number (tag 62, sub-tag 01)");
        var issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        return await PayOwnCodeAsync(context, auth, ChannelFamily.Qris, payload.Reference, payload.Amount, issuer, "qr_content");
    }

    private static async Task<ApiReply> PayOwnCodeAsync(HttpContext context, Authentication auth, ChannelFamily family, string code,
        long? amount, string? payer, string codeField)
    {
        var store = context.RequestServices.GetRequiredService<PaymentStore>();
        var attempt = await store.FindAttemptByCodeAsync(family, code, context.RequestAborted);
        var session = attempt is null ? null : await store.FindBySessionIdAsync(attempt.SessionId, context.RequestAborted);
        // Another merchant's code is reported exactly like an unknown one.
        if (session is null || session.MerchantId != auth.Merchant!.ClientId)
        {
            return ApiReply.Error(404, $"{codeField} {code} is not an open payment of this merchant");
        }
        var flows = context.RequestServices.GetRequiredService<PaymentFlows>();
        var step = await flows.PayCodeAsync(family, code, amount, payer, context.RequestAborted);
        return await ReplyAsync(store, step, session, context.RequestAborted);
    }

    /// <summary><c>{"invoice_number", "result": "SUCCESS"|"FAILED"}</c>: the issuer's answer to a waiting 3-D Secure challenge.</summary>
    private static async Task<ApiReply> AnswerChallengeAsync(HttpContext context, Authentication auth, ReadOnlyMemory<byte> body)
    {
        if (!TryReadObject(body, out var root, out var error)) return ApiReply.Error(400, error);
        var errors = new List<string>();
        var invoice = Field(root, "invoice_number", errors);
        var result = Field(root, "result", errors);
        if (result is not null and not ("SUCCESS" or "FAILED")) errors.Add("result must be SUCCESS or FAILED");
        if (errors.Count > 0) return new ApiReply(400, Infrastructure.ErrorBody.Create(errors));
        return await OnInvoiceAsync(context, auth, invoice!,
            (flows, session) => flows.AnswerChallengeAsync(session, result == "SUCCESS", context.RequestAborted));
    }

    /// <summary>Runs a step on the invoice's session (the paid one, else the newest); 404 when the merchant has no such invoice.</summary>
    private static async Task<ApiReply> OnInvoiceAsync(HttpContext context, Authentication auth, string invoice,
        Func<PaymentFlows, SessionRecord, Task<StepResult>> step)
    {
        var store = context.RequestServices.GetRequiredService<PaymentStore>();
        var session = await store.FindForMerchantAsync(auth.Merchant!.ClientId, invoice, context.RequestAborted);
        if (session is null || session.InvoiceNumber != invoice) return ApiReply.Error(404, $"invoice_number {invoice} is not found");
        var result = await step(context.RequestServices.GetRequiredService<PaymentFlows>(), session);
        return await ReplyAsync(store, result, session, context.RequestAborted);
    }

    private static async Task<ApiReply> ReplyAsync(PaymentStore store, StepResult step, SessionRecord before, CancellationToken cancellationToken)
    {
        if (!step.Ok)
        {
            var (status, message) = step.Refusal switch
            {
                Refusal.NotFound => (404, step.Message ?? "not found"),
                Refusal.Expired => (409, $"order {before.InvoiceNumber} is expired"),
                Refusal.AlreadyPaid => (409, $"order {before.InvoiceNumber} is already paid"),
                Refusal.ChannelNotAllowed => (400, $"payment_method_type is not offered by order {before.InvoiceNumber} (offered: {string.Join(", ", before.PayableMethods)})"),
                Refusal.RetryDisabled => (409, $"order {before.InvoiceNumber} failed and disable_retry_payment forbids another attempt"),
                Refusal.WrongAmount => (400, step.Message ?? "amount does not match the order amount"),
                _ => (409, step.Message ?? "the order cannot be paid now"),
            };
            return ApiReply.Error(status, message);
        }
        var session = step.Session ?? before;
        return new ApiReply(200, await StatusApi.DescribeAsync(store, session, cancellationToken));
    }

    private static bool TryReadObject(ReadOnlyMemory<byte> body, out JsonElement root, out string error)
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

    private static string? Field(JsonElement root, string name, List<string> errors)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            return text;
        }
        errors.Add(root.TryGetProperty(name, out value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.String)
            ? $"{name} must be a string"
            : $"{name} must be filled");
        return null;
    }

    private static long? OptionalAmount(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty("amount", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var amount) && amount > 0) return amount;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), out amount) && amount > 0) return amount;
        errors.Add("amount must be a positive whole number");
        return null;
    }
}
