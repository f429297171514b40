using System.Globalization;
using Lunas.Protocol.Channels;
using Lunas.Protocol.Wire;
using Lunas.Server.Checkout;
using Lunas.Server.Notifications;
using Lunas.Server.Payments;
using Lunas.Server.PostPayment;
using Microsoft.AspNetCore.Antiforgery;

namespace Lunas.Server.Console;

public sealed class OrdersView
{
    public required ConsoleFrame F { get; init; }
    public required IReadOnlyList<OrderRow> Rows { get; init; }
    public required string? NextLink { get; init; }
    public required bool Paged { get; init; }
    public string Query { get; init; } = "";
    public string Status { get; init; } = "";
    public string Channel { get; init; } = "";
    public string From { get; init; } = "";
    public string To { get; init; } = "";
    public string Merchant { get; init; } = "";
}

/// <summary>The order list, an order's page and the steps taken on it as the bank or the customer.</summary>
public static class OrdersEndpoints
{
    public static void MapConsoleOrders(this RouteGroupBuilder console)
    {
        console.MapGet("/orders", ListAsync);
        console.MapGet("/orders/{id}", ShowAsync);
        console.MapPost("/orders/{id}/actions", ActAsync).Form();
    }

    private static async Task<IResult> ListAsync(HttpContext context, IAntiforgery antiforgery, ConsoleStore store, CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "orders");
        var q = context.Request.Query;
        string Text(string key) => q[key].ToString().Trim();
        var status = Enum.GetValues<TransactionStatus>().Cast<TransactionStatus?>().FirstOrDefault(s => s!.Value.Wire() == Text("status"));
        var from = Day(Text("from"));
        var to = Day(Text("to"));
        var filter = new OrderFilter(frame.User!.Scope(Text("merchant")), Text("q"), status, Text("channel"), from, to?.AddDays(1),
            Keyset.Parse(Text("after")));
        var (rows, next) = await store.OrdersAsync(filter, cancellationToken);
        var view = new OrdersView
        {
            F = frame, Rows = rows, Paged = filter.After is not null, Query = Text("q"), Status = status?.Wire() ?? "", Channel = Text("channel"),
            From = from is null ? "" : Text("from"), To = to is null ? "" : Text("to"), Merchant = Text("merchant"),
            NextLink = next is { } n ? Link(context, "after", n.ToString()) : null,
        };
        return ConsoleView.Page<Orders>(context, view);
    }

    /// <summary>A yyyy-MM-dd date as the start of that day in Jakarta time (WIB), the merchant's day.</summary>
    private static DateTimeOffset? Day(string value)
        => DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day, DokuTime.Wib) : null;

    private static string Link(HttpContext context, string key, string value)
    {
        var query = context.Request.Query.Where(p => p.Key != key).Select(p => (p.Key, p.Value.ToString())).Append((key, value));
        return context.Request.Path + "?" + string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2)}"));
    }

    /// <summary>The stores an order page reads.</summary>
    public sealed record OrderReaders(PaymentStore Payments, NotificationStore Notifications, ConsoleStore Store, OperationStore Operations,
        ConsoleOperations After);

    private static OrderReaders Readers(HttpContext context) => new(
        context.RequestServices.GetRequiredService<PaymentStore>(), context.RequestServices.GetRequiredService<NotificationStore>(),
        context.RequestServices.GetRequiredService<ConsoleStore>(), context.RequestServices.GetRequiredService<OperationStore>(),
        context.RequestServices.GetRequiredService<ConsoleOperations>());

    private static async Task<IResult> ShowAsync(HttpContext context, string id, IAntiforgery antiforgery, PaymentStore payments,
        CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "orders");
        var session = await payments.FindBySessionIdAsync(id, cancellationToken);
        if (session is null || !frame.User!.CanSee(session.MerchantId)) return NotFound(context, frame);
        var notice = context.Request.Query.ContainsKey("done") ? frame.T.Done : null;
        return await RenderAsync(context, frame, session, Readers(context), [], notice, 200, cancellationToken);
    }

    private static async Task<IResult> RenderAsync(HttpContext context, ConsoleFrame frame, SessionRecord session, OrderReaders readers,
        IReadOnlyList<string> errors, string? notice, int status, CancellationToken cancellationToken)
    {
        var attempts = await readers.Payments.AttemptsAsync(session.SessionId, cancellationToken);
        var sent = (await readers.Notifications.ListForInvoiceAsync(session.MerchantId, session.InvoiceNumber, cancellationToken))
            .Where(n => n.Row.SessionId == session.SessionId);
        var response = await readers.Store.ResponseBodyAsync(session.SessionId, cancellationToken);
        var operations = await readers.Operations.ListForSessionAsync(session.SessionId, cancellationToken);
        var after = await readers.After.ContextAsync(session, cancellationToken);
        var view = new OrderView
        {
            F = frame, Session = session, PaymentUrl = CheckoutApi.PagePathPrefix + session.TokenId,
            Timeline = OrderTimeline.Build(frame.T, session, response, attempts, sent, operations), Actions = OrderActions.For(session, after),
            Errors = errors, Notice = notice,
        };
        return ConsoleView.Page<Order>(context, view, status);
    }

    /// <summary>Each action calls what the simulator API calls for the same step, so the rules and the notification are the same.</summary>
    private static async Task<IResult> ActAsync(HttpContext context, string id, IAntiforgery antiforgery, PaymentStore payments, PaymentFlows flows,
        ConsoleOperations operations, CancellationToken cancellationToken)
    {
        var frame = ConsoleFrame.For(context, antiforgery, "orders");
        var session = await payments.FindBySessionIdAsync(id, cancellationToken);
        if (session is null || !frame.User!.CanSee(session.MerchantId)) return NotFound(context, frame);
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var done = $"{ConsoleSetup.Prefix}/orders/{Uri.EscapeDataString(id)}?done=1";
        if (OrderActions.Parse(form["action"]) is { } after && after.IsAfterPayment())
        {
            var refusal = await operations.RunAsync(after, form, session, cancellationToken);
            if (refusal is null) return TypedResults.Redirect(done);
            var current = await payments.FindBySessionIdAsync(id, cancellationToken) ?? session;
            return await RenderAsync(context, frame, current, Readers(context), [refusal.Value.Message], null, refusal.Value.Status, cancellationToken);
        }
        var method = PaymentMethods.Find(form["channel"].ToString());
        var step = OrderActions.Parse(form["action"]) switch
        {
            OrderAction.Pay or OrderAction.Fail when method is null => new StepResult(Refusal.NotPayable, Message: "channel: choose a payment method"),
            OrderAction.Pay => await flows.SimulateAsync(session, method!, true, cancellationToken),
            OrderAction.Fail => await flows.SimulateAsync(session, method!, false, cancellationToken),
            OrderAction.PassChallenge => await flows.AnswerChallengeAsync(session, true, cancellationToken),
            OrderAction.FailChallenge => await flows.AnswerChallengeAsync(session, false, cancellationToken),
            OrderAction.Expire => await flows.ExpireNowAsync(session, cancellationToken),
            _ => new StepResult(Refusal.NotPayable, Message: "action: unknown action"),
        };
        if (step.Ok) return TypedResults.Redirect(done);
        var fresh = await payments.FindBySessionIdAsync(id, cancellationToken) ?? session;
        return await RenderAsync(context, frame, fresh, Readers(context), [Explain(step, session)], null, 409, cancellationToken);
    }

    private static string Explain(StepResult step, SessionRecord session) => step.Message ?? step.Refusal switch
    {
        Refusal.Expired => $"order {session.InvoiceNumber} is expired",
        Refusal.AlreadyPaid => $"order {session.InvoiceNumber} is already paid",
        Refusal.ChannelNotAllowed => $"this payment method is not offered by order {session.InvoiceNumber}",
        Refusal.RetryDisabled => $"order {session.InvoiceNumber} failed and disable_retry_payment forbids another attempt",
        _ => "this step cannot be done now",
    };

    internal static IResult NotFound(HttpContext context, ConsoleFrame frame)
        => ConsoleView.Page<Missing>(context, frame, StatusCodes.Status404NotFound);
}
