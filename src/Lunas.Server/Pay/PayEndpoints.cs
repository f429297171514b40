using System.Reflection;
using Lunas.Protocol.Channels;
using Lunas.Server.Checkout;
using Lunas.Server.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;

namespace Lunas.Server.Pay;

/// <summary>The hosted checkout page at <c>payment.url</c> and the customer's steps on it.</summary>
public static class PayEndpoints
{
    public const string ScriptPath = "/jokul-checkout-js/v1/jokul-checkout-1.0.0.js";

    // No inline script or style at all; the page may be framed by loadJokulCheckout on any merchant site.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors *";

    public static IEndpointRouteBuilder MapPay(this IEndpointRouteBuilder app)
    {
        // The customer's HTML page, not an API: left out of the OpenAPI document.
        var page = app.MapGroup(CheckoutApi.PagePathPrefix.TrimEnd('/')).ExcludeFromDescription();
        page.MapGet("/assets/{name}", Asset);
        page.MapGet("/{token}", ShowAsync);
        page.MapGet("/{token}/state", StateAsync);
        page.MapPost("/{token}/choose", ChooseAsync).DisableAntiforgery();
        page.MapPost("/{token}/card", CardAsync).DisableAntiforgery();
        page.MapPost("/{token}/3ds", ChallengeAsync).DisableAntiforgery();
        page.MapPost("/{token}/approve", ApproveAsync).DisableAntiforgery();
        page.MapPost("/{token}/otp", OtpAsync).DisableAntiforgery();
        page.MapPost("/{token}/recover", RecoverAsync).DisableAntiforgery();
        app.MapGet(ScriptPath, (HttpContext context) => Asset(context, "jokul-checkout.js")).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, string token, PaymentStore store, MerchantClock clock)
    {
        var session = await FindAsync(store, token, context);
        if (session is null) return NotFound(context);
        var query = context.Request.Query;
        var selected = PaymentMethods.Find(query["method"].ToString());
        return await RenderAsync(context, store, clock, session, selected, choose: query.ContainsKey("choose"), errors: []);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, PaymentStore store, MerchantClock clock, SessionRecord session,
        PaymentMethod? selected, bool choose, IReadOnlyList<string> errors, int status = 200)
    {
        var attempts = await store.AttemptsAsync(session.SessionId, context.RequestAborted);
        var basePath = CheckoutApi.PagePathPrefix + session.TokenId;
        var texts = Texts.For(session.Request.Order.Language);
        var canChooseAgain = !session.RetryClosed;
        if (selected is not null && !session.PayableMethods.Contains(selected.Value)) selected = null;
        var (screen, attempt) = ChooseScreen(session, attempts, ref selected, choose);

        string? payload = null, svg = null;
        if (screen == PayScreen.Instructions && selected!.Family == ChannelFamily.Qris)
        {
            payload = PaymentFlows.QrisPayload(session, attempt!);
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
            svg = new SvgQRCode(data).GetGraphic(6);
        }
        var tenors = screen switch
        {
            PayScreen.CardForm when session.Request.Payment?.Type == "INSTALLMENT" => PaymentFlows.InstallmentTenors(session),
            PayScreen.Approval when selected!.Family == ChannelFamily.Paylater => PaymentFlows.PaylaterTenors(session),
            _ => [],
        };
        var view = new PayView
        {
            Session = session, T = texts, Screen = screen, BasePath = basePath, Now = clock.Now(session), Method = selected,
            Attempt = attempt, Errors = errors, QrPayload = payload, QrSvg = svg, Tenors = tenors, CanChooseAgain = canChooseAgain,
            CanRecover = screen == PayScreen.Expired && PaymentRules.IsRecoverable(session, clock.Now(session)),
        };
        Secure(context);
        return new RazorComponentResult<PayPage>(new { V = view }) { StatusCode = status };
    }

    /// <summary>Which screen the session's state shows, with the attempt it describes; may pick the channel in progress.</summary>
    private static (PayScreen Screen, AttemptRecord? Attempt) ChooseScreen(SessionRecord session, IReadOnlyList<AttemptRecord> attempts,
        ref PaymentMethod? selected, bool choose)
    {
        var current = attempts.LastOrDefault(a => a.Channel == session.Channel);
        PayScreen screen;
        AttemptRecord? attempt = null;
        switch (session.Status)
        {
            case TransactionStatus.Success:
                screen = PayScreen.Success;
                attempt = attempts.FirstOrDefault(a => a.AttemptId == session.PaidAttemptId);
                break;
            case TransactionStatus.Voided or TransactionStatus.Refunded:
                // Closed after payment: the page says voided or refunded (PayView.ClosedTitle), nothing more to pay.
                screen = PayScreen.Expired;
                break;
            case var _ when session.InvoicePaid:
                // Another session of this invoice was paid: the order is settled, whichever link the customer opens
                // (even one that has since expired).
                screen = PayScreen.Success;
                break;
            case TransactionStatus.Expired:
                screen = PayScreen.Expired;
                break;
            case TransactionStatus.Redirect:
                screen = PayScreen.Challenge;
                break;
            case TransactionStatus.Failed when selected is null || session.RetryClosed:
                screen = PayScreen.Failed;
                break;
            default:
                if (selected is null && !choose && current is { Status: TransactionStatus.Pending, PayCode: not null }
                    && session.PayableMethods.Contains(current.Channel))
                {
                    selected = current.Method;
                }
                screen = selected is null ? PayScreen.Choose : selected.Family switch
                {
                    ChannelFamily.Card => PayScreen.CardForm,
                    ChannelFamily.DirectDebit => PayScreen.Otp,
                    ChannelFamily.EMoney or ChannelFamily.Paylater or ChannelFamily.OnlineBanking => PayScreen.Approval,
                    _ => PayScreen.Instructions,
                };
                if (screen == PayScreen.Instructions)
                {
                    var channel = selected!.Value;
                    attempt = attempts.LastOrDefault(a => a.Channel == channel && a.Status == TransactionStatus.Pending);
                    if (attempt is null) screen = PayScreen.Choose;
                }
                break;
        }
        return (screen, attempt);
    }

    private static async Task<IResult> ChooseAsync(HttpContext context, string token, PaymentStore store, PaymentFlows flows, MerchantClock clock)
        => await StepAsync(context, token, store, clock, async (session, form, method) =>
            method is null ? Problem("choose a payment method") : await flows.StartAsync(session, method, context.RequestAborted));

    private static async Task<IResult> CardAsync(HttpContext context, string token, PaymentStore store, PaymentFlows flows, MerchantClock clock)
    {
        var session = await FindAsync(store, token, context);
        if (session is null) return NotFound(context);
        var (form, refused) = await PageForm.ReadAsync(context);
        if (refused is { } error) return await RenderAsync(context, store, clock, session, null, false, [error.Message], error.Status);
        var method = PaymentMethods.Find(form["channel"].ToString());
        if (method is null || method.Family != ChannelFamily.Card) return Redirect(session);
        var (errors, result) = await flows.PayByCardAsync(session, method, form["card_number"], form["expiry"], form["cvv"],
            int.TryParse(form["tenor"], out var tenor) ? tenor : null, context.RequestAborted);
        if (errors.Count > 0)
        {
            return await RenderAsync(context, store, clock, session, method, false, errors, 400);
        }
        return await AfterStepAsync(context, store, clock, session, result!);
    }

    private static Task<IResult> ChallengeAsync(HttpContext context, string token, PaymentStore store, PaymentFlows flows, MerchantClock clock)
        => StepAsync(context, token, store, clock, (session, form, _) =>
            flows.AnswerChallengeAsync(session, form["otp"].ToString().Trim() == PaymentFlows.TestOtp, context.RequestAborted));

    private static Task<IResult> ApproveAsync(HttpContext context, string token, PaymentStore store, PaymentFlows flows, MerchantClock clock)
        => StepAsync(context, token, store, clock, async (session, form, method) => method is null
            ? Problem("choose a payment method")
            : await flows.ApproveAsync(session, method, form["decision"] == "approve",
                int.TryParse(form["tenor"], out var tenor) ? tenor : null, form["account"], context.RequestAborted));

    private static Task<IResult> OtpAsync(HttpContext context, string token, PaymentStore store, PaymentFlows flows, MerchantClock clock)
        => StepAsync(context, token, store, clock, async (session, form, method) => method is null
            ? Problem("choose a payment method")
            : await flows.ConfirmOtpAsync(session, method, form["otp"], context.RequestAborted));

    private static Task<IResult> RecoverAsync(HttpContext context, string token, PaymentStore store, MerchantClock clock)
        => StepAsync(context, token, store, clock, (session, _, _) => store.RecoverAsync(session.SessionId, context.RequestAborted));

    private delegate Task<StepResult> Step(SessionRecord session, IFormCollection form, PaymentMethod? method);

    private static async Task<IResult> StepAsync(HttpContext context, string token, PaymentStore store, MerchantClock clock, Step step)
    {
        var session = await FindAsync(store, token, context);
        if (session is null) return NotFound(context);
        var (form, refused) = await PageForm.ReadAsync(context);
        if (refused is { } error) return await RenderAsync(context, store, clock, session, null, false, [error.Message], error.Status);
        var method = PaymentMethods.Find(form["channel"].ToString());
        var result = await step(session, form, method);
        return await AfterStepAsync(context, store, clock, session, result);
    }

    /// <summary>Post/redirect/get on success; a refusal re-renders the page with the reason.</summary>
    private static async Task<IResult> AfterStepAsync(HttpContext context, PaymentStore store, MerchantClock clock, SessionRecord session, StepResult result)
    {
        if (result.Ok || result.Refusal is Refusal.AlreadyPaid or Refusal.Expired or Refusal.Cancelled)
        {
            return Redirect(session);
        }
        var fresh = await store.FindByTokenAsync(session.TokenId, context.RequestAborted) ?? session;
        var message = result.Message ?? result.Refusal switch
        {
            Refusal.ChannelNotAllowed => "this payment method is not available for this order",
            Refusal.RetryDisabled => Texts.For(session.Request.Order.Language).NoRetry,
            _ => "this step cannot be done now",
        };
        return await RenderAsync(context, store, clock, fresh, null, false, [message], 409);
    }

    /// <summary>The session of a page token; a value that cannot be a token is not looked up at all.</summary>
    private static Task<SessionRecord?> FindAsync(PaymentStore store, string token, HttpContext context)
        => IsTokenShaped(token) ? store.FindByTokenAsync(token, context.RequestAborted) : Task.FromResult<SessionRecord?>(null);

    /// <summary>Tokens are ASCII letters and digits (32 hex and a 17-digit stamp).</summary>
    public static bool IsTokenShaped(string token) => token.Length is > 0 and <= 64 && token.All(char.IsAsciiLetterOrDigit);

    private static StepResult Problem(string message) => new(Refusal.NotPayable, Message: message);

    private static IResult Redirect(SessionRecord session)
        => TypedResults.Redirect(CheckoutApi.PagePathPrefix + session.TokenId);

    /// <summary>A tiny JSON view of the state, polled by the page so it updates the moment a payment lands.</summary>
    private static async Task<IResult> StateAsync(HttpContext context, string token, PaymentStore store)
    {
        var state = IsTokenShaped(token) ? await store.FindStateByTokenAsync(token, context.RequestAborted) : null;
        context.Response.Headers.CacheControl = "no-store";
        return state is not { } found
            ? TypedResults.NotFound()
            : TypedResults.Json(new PageState(found.Status.Wire(), found.OrderStatus.Wire()), PayJsonContext.Default.PageState);
    }

    private static IResult NotFound(HttpContext context)
    {
        Secure(context);
        return TypedResults.Content("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            "<title>Not found</title></head><body><main><h1>This checkout link does not exist.</h1></main></body></html>",
            "text/html; charset=utf-8", statusCode: 404);
    }

    private static void Secure(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Assets = LoadAssets();

    private static IResult Asset(HttpContext context, string name)
    {
        if (!Assets.TryGetValue(name, out var asset)) return TypedResults.NotFound();
        context.Response.Headers.CacheControl = "public, max-age=300";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.Bytes(asset.Bytes, asset.Type);
    }

    private static Dictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = typeof(PayEndpoints).Namespace + ".Assets.";
        var result = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var name = resource[prefix.Length..];
            result[name] = (memory.ToArray(), name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        }
        return result;
    }
}

public sealed record PageState(
    [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
    [property: System.Text.Json.Serialization.JsonPropertyName("order_status")] string OrderStatus);

[System.Text.Json.Serialization.JsonSerializable(typeof(PageState))]
internal sealed partial class PayJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
