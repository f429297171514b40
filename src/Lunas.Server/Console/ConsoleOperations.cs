using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Server.Merchants;
using Lunas.Server.Payments;
using Lunas.Server.PostPayment;

namespace Lunas.Server.Console;

/// <summary>What the post-payment rules need beyond the order: the merchant's cancel switches and its sandbox clock.</summary>
public sealed record AfterContext(bool CancelEnabled, bool ConvenienceStores, DateTimeOffset Now);

/// <summary>A console refusal: the status of the answer page and the message it shows.</summary>
public readonly record struct ConsoleRefusal(int Status, string Message);

/// <summary>
/// Cancel, capture, void and refund from the console, through <see cref="PostPaymentOperations"/> as the API does. The
/// form carries a Request-Id made when it was rendered, so submitting it twice is a replay of the first answer.
/// </summary>
public sealed class ConsoleOperations(PostPaymentOperations service, OperationStore operations, MerchantStore merchants, MerchantClock clocks)
{
    public const string RequestIdField = "request_id";
    public const string AmountField = "amount";

    public async Task<AfterContext> ContextAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        var merchant = await merchants.FindAsync(session.MerchantId, cancellationToken);
        return new AfterContext(merchant?.CancelOrderEnabled ?? false, merchant?.CancelConvenienceStore ?? false, clocks.Now(session));
    }

    /// <summary>Null when the operation applied (or this form's first submission did); else why not.</summary>
    public async Task<ConsoleRefusal?> RunAsync(OrderAction action, IFormCollection form, SessionRecord session, CancellationToken cancellationToken)
    {
        var requestId = form[RequestIdField].ToString().Trim();
        if (requestId.Length is 0 or > 128) return new(400, $"{RequestIdField}: reload the page and submit the form again");
        var amountText = form[AmountField].ToString().Trim();
        long? amount = null;
        if (amountText.Length > 0)
        {
            if (!long.TryParse(amountText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
                return new(400, $"{AmountField}: enter a whole number of rupiah above 0");
            amount = parsed;
        }
        var isCard = session.ChannelMethod?.Family == ChannelFamily.Card;
        if (action == OrderAction.Refund && isCard && amount is null) return new(400, $"{AmountField}: enter the amount to refund");

        var key = new OperationKey(session.MerchantId, requestId, Digest(action, amount));
        if (await operations.FindReplayAsync(key.MerchantId, requestId, key.Digest, cancellationToken) is { } earlier)
            return Replayed(earlier, requestId);
        var after = await ContextAsync(session, cancellationToken);
        if (!OrderActions.For(session, after).Contains(action))
            return new(409, $"action: {action.Name()} is not allowed for order {session.InvoiceNumber} in its state");

        var run = action switch
        {
            OrderAction.Cancel => await service.CancelAsync(key, session, after.ConvenienceStores, null),
            OrderAction.Capture => await service.CaptureAsync(key, session, amount),
            OrderAction.Void => await service.RefundCardAsync(key, session, session.RequestId, session.PaidAmount),
            _ when isCard => await service.RefundCardAsync(key, session, session.RequestId, amount!.Value),
            _ => await service.RefundWalletAsync(key, session, session.ChannelMethod!.AcquirerId),
        };
        if (run.Replay is { } replay) return Replayed(replay, requestId);
        var reply = run.Reply!;
        return reply.Applied || reply.Status == 200 && action == OrderAction.Cancel ? null : Refused(reply.Status, reply.Body);
    }

    private static ConsoleRefusal? Replayed(Replay replay, string requestId)
    {
        if (!replay.SameBody) return new(409, $"{RequestIdField}: {requestId} was used by another form; reload the page");
        return replay.Status == 200 ? null : Refused(replay.Status, Encoding.UTF8.GetBytes(replay.Body));
    }

    /// <summary>The API's answer read for the page: its error message (the field named), 400 for bad input, else 409.</summary>
    private static ConsoleRefusal Refused(int status, byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            var code = error.GetProperty("code").GetString();
            return new(code == DirectBodies.InvalidParameter ? 400 : 409, error.GetProperty("message").GetString() ?? "");
        }
        var message = root.TryGetProperty("refund", out var refund) && refund.TryGetProperty("message", out var m) ? m.GetString() : null;
        return new(status == 200 ? 409 : status, message ?? "this step cannot be done now");
    }

    private static string Digest(OrderAction action, long? amount)
        => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"console {action.Name()} {amount}")));
}
