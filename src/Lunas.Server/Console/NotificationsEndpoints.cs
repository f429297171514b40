using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lunas.Server.Merchants;
using Lunas.Server.Notifications;
using Microsoft.AspNetCore.Antiforgery;

namespace Lunas.Server.Console;

public sealed class NotificationsView
{
    public required ConsoleFrame F { get; init; }
    public required DeliveryState State { get; init; }
    public required IReadOnlyList<NotificationLogRow> Rows { get; init; }
    public string? NextLink { get; init; }
    public Merchant? Merchant { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public string? Notice { get; init; }

    /// <summary>The sandbox test controls; null when the sandbox is off or no single merchant is shown.</summary>
    public SandboxPanel? Sandbox { get; init; }
}

/// <summary>The merchant's notification faults, the fault form's values, and a receiver check's report when one just ran.</summary>
public sealed record SandboxPanel(IReadOnlyList<NotificationFault> Faults, FaultInput Input, ReceiverCheckReport? Check);

/// <summary>The fault form as typed (kept to fill the form again after a refusal).</summary>
public sealed record FaultInput(string Kind, string Number, string Times, string Channel)
{
    public static readonly FaultInput Empty = new(NotificationFaults.Duplicate, "", "1", "");

    public static FaultInput From(IFormCollection form)
        => new(form["kind"].ToString().Trim(), form["number"].ToString().Trim(), form["times"].ToString().Trim(), form["channel"].ToString().Trim());
}

public sealed record ReceiverCheckReport(string Url, string Invoice, IReadOnlyList<ReceiverCheckCase> Cases)
{
    public bool Pass => Cases.All(c => c.Pass);
}

/// <summary>What a console form post carries back to the page it re-renders.</summary>
internal sealed record Posted(FaultInput? Input = null, ReceiverCheckReport? Check = null);

/// <summary>
/// The delivery log across orders, resend (the resend API's code), the merchant's notification URL, and, while the
/// sandbox is on, the notification faults and the receiver check (the store and the check of the signed sandbox API).
/// </summary>
public static class NotificationsEndpoints
{
    public static void MapConsoleNotifications(this RouteGroupBuilder console)
    {
        console.MapGet("/notifications", ListAsync);
        console.MapPost("/notifications/{id}/resend", ResendAsync).Form();
        console.MapPost("/notification-url", SaveUrlAsync).Form();
        console.MapPost("/notification-faults", SetFaultsAsync).Form();
        console.MapPost("/notification-faults/clear", ClearFaultsAsync).Form();
        console.MapPost("/receiver-check", CheckReceiverAsync).Form();
    }

    public static string StateName(this DeliveryState state) => state switch
    {
        DeliveryState.All => "",
        DeliveryState.Delivered => "delivered",
        DeliveryState.Failing => "failing",
        DeliveryState.GivenUp => "given-up",
    };

    private static Task<IResult> ListAsync(HttpContext context, IAntiforgery antiforgery, ConsoleStore store, MerchantStore merchants,
        CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var notice = query.ContainsKey("sent") ? "sent" : query.ContainsKey("saved") ? "saved" : query["faults"].ToString() switch
        {
            "set" => "fault-set",
            "cleared" => "faults-cleared",
            _ => null,
        };
        return RenderAsync(context, antiforgery, store, merchants, query["merchant"], [], notice, 200, null, cancellationToken);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, IAntiforgery antiforgery, ConsoleStore store, MerchantStore merchants,
        string? requested, IReadOnlyList<string> errors, string? notice, int status, Posted? posted, CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "notifications");
        var query = context.Request.Query;
        var state = Enum.GetValues<DeliveryState>().FirstOrDefault(s => s.StateName() == query["state"].ToString());
        var scope = frame.User!.Scope(requested);
        var (rows, next) = await store.NotificationsAsync(scope, state, Keyset.Parse(query["after"]), cancellationToken);
        var merchant = scope is null ? null : await merchants.FindAsync(scope, cancellationToken);
        SandboxPanel? sandbox = null;
        if (merchant is not null && context.RequestServices.GetRequiredService<LunasOptions>().Sandbox.Enabled)
        {
            var faults = await context.RequestServices.GetRequiredService<NotificationFaultStore>().ListAsync(merchant.ClientId, cancellationToken);
            sandbox = new SandboxPanel(faults, posted?.Input ?? FaultInput.Empty, posted?.Check);
        }
        var view = new NotificationsView
        {
            F = frame, State = state, Rows = rows, Errors = errors,
            Notice = notice switch
            {
                "sent" => frame.T.Done,
                "saved" => frame.T.Saved,
                "fault-set" => frame.T.Sandbox.FaultSet,
                "faults-cleared" => frame.T.Sandbox.FaultsCleared,
                _ => null,
            },
            NextLink = next is { } n ? $"{ConsoleSetup.Prefix}/notifications?state={state.StateName()}&after={Uri.EscapeDataString(n.ToString())}" : null,
            Merchant = merchant,
            Sandbox = sandbox,
        };
        return ConsoleView.Page<NotificationLog>(context, view, status);
    }

    private static async Task<IResult> ResendAsync(HttpContext context, string id, IAntiforgery antiforgery, ConsoleStore store,
        MerchantStore merchants, NotificationResender resender, CancellationToken cancellationToken)
    {
        var user = ConsoleUser.From(context.User)!;
        var form = await context.Request.ReadFormAsync(cancellationToken);
        // The operator resends on behalf of the notification's merchant; a merchant only its own (another's is "not found").
        var merchantId = user.IsOperator ? form["merchant"].ToString() : user.MerchantId!;
        var outcome = await resender.ResendAsync(merchantId, id, cancellationToken);
        if (outcome.Error is not null)
        {
            return await RenderAsync(context, antiforgery, store, merchants, form["merchant"], [outcome.Error], null, outcome.Status, null,
                cancellationToken);
        }
        var back = form["back"].ToString();
        return TypedResults.Redirect(back.StartsWith(ConsoleSetup.Prefix + "/orders/", StringComparison.Ordinal)
            ? ConsoleView.LocalTarget(back) : ConsoleSetup.Prefix + "/notifications?sent=1");
    }

    private static async Task<IResult> SaveUrlAsync(HttpContext context, IAntiforgery antiforgery, ConsoleStore store, MerchantStore merchants,
        CancellationToken cancellationToken)
    {
        var user = ConsoleUser.From(context.User)!;
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var merchant = await merchants.FindAsync(user.Scope(form["merchant"]) ?? "", cancellationToken);
        if (merchant is null) return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "notifications"));
        var url = SettingsEndpoints.NotificationUrl(form["notification_url"], out var bad);
        if (bad)
        {
            return await RenderAsync(context, antiforgery, store, merchants, merchant.ClientId, [ConsoleTexts.For(context).BadUrl], null, 400, null,
                cancellationToken);
        }
        await merchants.UpdateSettingsAsync(merchant.ClientId, merchant.Name, merchant.PaymentMethodTypes, url, cancellationToken);
        return TypedResults.Redirect(ConsoleSetup.Prefix + "/notifications?saved=1");
    }

    // ---- the sandbox test controls ----

    private static async Task<IResult> SetFaultsAsync(HttpContext context, IAntiforgery antiforgery, ConsoleStore store, MerchantStore merchants,
        NotificationFaultStore faults, LunasOptions options, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var merchant = await PostedMerchantAsync(context, form, merchants, options, cancellationToken);
        if (merchant is null) return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "notifications"));
        var input = FaultInput.From(form);
        var errors = new List<string>();
        var read = ReadFault(input, ConsoleTexts.For(context), errors);
        if (errors.Count > 0)
        {
            return await RenderAsync(context, antiforgery, store, merchants, merchant.ClientId, errors, null, 400, new Posted(input), cancellationToken);
        }
        await faults.ReplaceAsync(merchant.ClientId, read, cancellationToken);
        return TypedResults.Redirect(Back(context, merchant, "faults=set"));
    }

    private static async Task<IResult> ClearFaultsAsync(HttpContext context, IAntiforgery antiforgery, MerchantStore merchants,
        NotificationFaultStore faults, LunasOptions options, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var merchant = await PostedMerchantAsync(context, form, merchants, options, cancellationToken);
        if (merchant is null) return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "notifications"));
        await faults.ReplaceAsync(merchant.ClientId, [], cancellationToken);
        return TypedResults.Redirect(Back(context, merchant, "faults=cleared"));
    }

    private static async Task<IResult> CheckReceiverAsync(HttpContext context, IAntiforgery antiforgery, ConsoleStore store, MerchantStore merchants,
        NotificationSender sender, DestinationPolicy policy, TimeProvider clock, LunasOptions options, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var merchant = await PostedMerchantAsync(context, form, merchants, options, cancellationToken);
        if (merchant is null) return OrdersEndpoints.NotFound(context, ConsoleFrame.For(context, antiforgery, "notifications"));
        var t = ConsoleTexts.For(context);
        // The API's target rule with no URL given: the merchant's notification URL, through the destination policy.
        if (ReceiverCheck.Target(null, merchant, policy, out var url) is { } refusal)
        {
            var error = merchant.NotificationUrl is null ? t.Sandbox.NoUrl : $"{t.NotificationUrl}: {refusal}";
            return await RenderAsync(context, antiforgery, store, merchants, merchant.ClientId, [error], null, 400, null, cancellationToken);
        }
        var (invoice, cases) = await new ReceiverCheck(sender, clock).RunAsync(merchant, url, cancellationToken);
        return await RenderAsync(context, antiforgery, store, merchants, merchant.ClientId, [], null, 200,
            new Posted(Check: new ReceiverCheckReport(url, invoice, cases)), cancellationToken);
    }

    /// <summary>The merchant a sandbox form acts on (a merchant its own; the operator the one named); null when the sandbox is off.</summary>
    private static async Task<Merchant?> PostedMerchantAsync(HttpContext context, IFormCollection form, MerchantStore merchants, LunasOptions options,
        CancellationToken cancellationToken)
    {
        if (!options.Sandbox.Enabled) return null;
        var id = ConsoleUser.From(context.User)!.Scope(form["merchant"]);
        return id is null ? null : await merchants.FindAsync(id, cancellationToken);
    }

    private static string Back(HttpContext context, Merchant merchant, string notice)
        => $"{ConsoleSetup.Prefix}/notifications?{notice}"
           + (ConsoleUser.From(context.User)!.IsOperator ? "&merchant=" + Uri.EscapeDataString(merchant.ClientId) : "");

    /// <summary>
    /// The fault form through the API's own reading (<see cref="NotificationFaults.Read"/>): the form is the body of a
    /// PUT with one fault. Each refusal is named by the form's label of the field.
    /// </summary>
    internal static IReadOnlyList<NotificationFault> ReadFault(FaultInput input, ConsoleTexts t, List<string> errors)
    {
        var fault = new JsonObject { ["kind"] = input.Kind };
        // One "Number" field on the form; the kind says which of the API's fields it is (none for bad_signature, out_of_order).
        if (NotificationFaults.AmountField(input.Kind) is { } field && input.Number.Length > 0) fault[field] = Value(input.Number);
        if (input.Times.Length > 0) fault["times"] = Value(input.Times);
        if (input.Channel.Length > 0) fault["channel"] = input.Channel;
        using var body = JsonDocument.Parse(new JsonObject { ["faults"] = new JsonArray(fault) }.ToJsonString());
        var found = new List<string>();
        var faults = NotificationFaults.Read(body.RootElement, found);
        foreach (var message in found)
        {
            var text = message.StartsWith("faults[0].", StringComparison.Ordinal) ? message["faults[0].".Length..] : message;
            var name = text.Split(' ', 2)[0];
            var label = name switch
            {
                "kind" => t.Sandbox.Kind,
                "times" => t.Sandbox.Times,
                "channel" => t.Channel,
                _ => t.Sandbox.Number,
            };
            errors.Add($"{label}: {text}");
        }
        return faults;
    }

    private static JsonNode Value(string text)
        => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(text);
}
