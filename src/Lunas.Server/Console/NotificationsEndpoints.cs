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
}

/// <summary>The delivery log across orders, resend (the resend API's code), and the merchant's notification URL.</summary>
public static class NotificationsEndpoints
{
    public static void MapConsoleNotifications(this RouteGroupBuilder console)
    {
        console.MapGet("/notifications", ListAsync);
        console.MapPost("/notifications/{id}/resend", ResendAsync).Form();
        console.MapPost("/notification-url", SaveUrlAsync).Form();
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
        => RenderAsync(context, antiforgery, store, merchants, [],
            context.Request.Query.ContainsKey("sent") ? "sent" : context.Request.Query.ContainsKey("saved") ? "saved" : null, 200, cancellationToken);

    private static async Task<IResult> RenderAsync(HttpContext context, IAntiforgery antiforgery, ConsoleStore store, MerchantStore merchants,
        IReadOnlyList<string> errors, string? notice, int status, CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "notifications");
        var query = context.Request.Query;
        var state = Enum.GetValues<DeliveryState>().FirstOrDefault(s => s.StateName() == query["state"].ToString());
        var scope = frame.User!.Scope(query["merchant"]);
        var (rows, next) = await store.NotificationsAsync(scope, state, Keyset.Parse(query["after"]), cancellationToken);
        var view = new NotificationsView
        {
            F = frame, State = state, Rows = rows, Errors = errors,
            Notice = notice switch { "sent" => frame.T.Done, "saved" => frame.T.Saved, _ => null },
            NextLink = next is { } n ? $"{ConsoleSetup.Prefix}/notifications?state={state.StateName()}&after={Uri.EscapeDataString(n.ToString())}" : null,
            Merchant = scope is null ? null : await merchants.FindAsync(scope, cancellationToken),
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
            return await RenderAsync(context, antiforgery, store, merchants, [outcome.Error], null, outcome.Status, cancellationToken);
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
            return await RenderAsync(context, antiforgery, store, merchants, [ConsoleTexts.For(context).BadUrl], null, 400, cancellationToken);
        }
        await merchants.UpdateSettingsAsync(merchant.ClientId, merchant.Name, merchant.PaymentMethodTypes, url, cancellationToken);
        return TypedResults.Redirect(ConsoleSetup.Prefix + "/notifications?saved=1");
    }
}
