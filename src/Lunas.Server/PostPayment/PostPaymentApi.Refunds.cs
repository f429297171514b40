using Lunas.Protocol.Channels;
using Lunas.Server.Payments;
using Lunas.Server.Security;

namespace Lunas.Server.PostPayment;

// Refunds: a card's void or refund by amount; ShopeePay and Akulaku in full, matched on the identifiers their payment
// notification carried.
public static partial class PostPaymentApi
{
    private static async Task<ApiReply> RefundCardAsync(SignedRequest signed, PaymentStore payments, OperationStore operations,
        PostPaymentOperations service, CancellationToken cancellationToken)
    {
        var fields = RequestFields.Parse(signed.Body, out var error);
        var invoice = fields?.String("order.invoice_number", required: true);
        var original = fields?.String("payment.original_request_id", required: true);
        var amount = fields?.Amount("refund.amount", required: true);
        if (await InvalidAsync(signed, operations, fields, error, cancellationToken) is { } invalid) return invalid;

        // The checkout's Request-Id, or for a captured authorization the capture's.
        var session = await payments.FindByRequestIdAsync(signed.ClientId, original!, cancellationToken);
        if (session is null && await operations.FindByRequestIdAsync(signed.ClientId, original!, cancellationToken) is
                { Adjustment.Type: "CAPTURE" } capture)
        {
            session = await payments.FindBySessionIdAsync(capture.SessionId, cancellationToken);
        }
        if (session is null || session.InvoiceNumber != invoice)
        {
            return await NotFoundAsync(signed, operations,
                $"payment.original_request_id {original} is not a payment of order.invoice_number {invoice}", cancellationToken);
        }
        return Answer(signed, await service.RefundCardAsync(Key(signed), session, original!, amount!.Value));
    }

    /// <summary><c>{"order": {invoice_number}, "shopeepay_payment": {"identifier": [...]}}</c>: a full refund.</summary>
    private static Task<ApiReply> RefundShopeePayAsync(SignedRequest signed, PaymentStore payments, OperationStore operations,
        PostPaymentOperations service, CancellationToken cancellationToken)
        => RefundWalletAsync(signed, payments, operations, service, PostPaymentOperations.WalletAcquirerShopeePay,
            "shopeepay_payment.identifier", null, cancellationToken);

    /// <summary><c>{"order": {invoice_number}, "payment": {merchant_unique_reference, identifier}, "refund": {...}}</c>: a full refund.</summary>
    private static Task<ApiReply> RefundAkulakuAsync(SignedRequest signed, PaymentStore payments, OperationStore operations,
        PostPaymentOperations service, CancellationToken cancellationToken)
        => RefundWalletAsync(signed, payments, operations, service, PostPaymentOperations.WalletAcquirerAkulaku,
            "payment.identifier", "payment.merchant_unique_reference", cancellationToken);

    private static async Task<ApiReply> RefundWalletAsync(SignedRequest signed, PaymentStore payments, OperationStore operations,
        PostPaymentOperations service, string acquirer, string identifierPath, string? referencePath, CancellationToken cancellationToken)
    {
        var fields = RequestFields.Parse(signed.Body, out var error);
        var invoice = fields?.String("order.invoice_number", required: true);
        var identifiers = fields?.Identifiers(identifierPath);
        var reference = referencePath is null ? null : fields?.String(referencePath, required: false);
        if (await InvalidAsync(signed, operations, fields, error, cancellationToken) is { } invalid) return invalid;

        var session = await payments.FindForMerchantAsync(signed.ClientId, invoice!, cancellationToken);
        var attempt = session?.PaidAttemptId is { } paid
            ? (await payments.AttemptsAsync(session.SessionId, cancellationToken)).FirstOrDefault(a => a.AttemptId == paid)
            : null;
        if (session is null || session.InvoiceNumber != invoice || attempt is null || attempt.Method.AcquirerId != acquirer
            || reference is not null && reference != attempt.AttemptId
            || !PaymentEnvelope.WalletIdentifiers(session, attempt).All(i => identifiers!.TryGetValue(i.Name, out var v) && v == i.Value))
        {
            return await NotFoundAsync(signed, operations,
                $"{identifierPath} does not match a paid {acquirer} payment of order.invoice_number {invoice}", cancellationToken);
        }
        return Answer(signed, await service.RefundWalletAsync(Key(signed), session, acquirer));
    }
}
