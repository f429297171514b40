using System.Text.Json.Serialization;

namespace Lunas.Client;

/// <summary>The <c>virtual_account_info</c> block.</summary>
public sealed class DokuVirtualAccountInfo
{
    /// <summary>The number the customer transfers to.</summary>
    [JsonPropertyName("virtual_account_number")] public string? VirtualAccountNumber { get; set; }

    /// <summary>When the number was issued, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("created_date")] public string? CreatedDate { get; set; }

    /// <summary>When the number expires, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("expired_date")] public string? ExpiredDate { get; set; }

    /// <summary>DOKU's page of payment instructions, when sent.</summary>
    [JsonPropertyName("how_to_pay_page")] public string? HowToPayPage { get; set; }

    /// <summary>DOKU's API of payment instructions, when sent.</summary>
    [JsonPropertyName("how_to_pay_api")] public string? HowToPayApi { get; set; }
}

/// <summary>The <c>virtual_account_payment</c> block.</summary>
public sealed class DokuVirtualAccountPayment
{
    /// <summary>When the transfer arrived, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }

    /// <summary>The bank's references.</summary>
    [JsonPropertyName("identifier")] public List<DokuIdentifier>? Identifier { get; set; }
}

/// <summary>One <c>{"name", "value"}</c> entry of an <c>identifier</c> list.</summary>
public sealed class DokuIdentifier
{
    /// <summary>What the value is, e.g. <c>REQUEST_ID</c>, <c>REFERENCE</c>.</summary>
    [JsonPropertyName("name")] public string? Name { get; set; }

    /// <summary>The value.</summary>
    [JsonPropertyName("value")] public string? Value { get; set; }
}

/// <summary>The <c>online_to_offline_info</c> block.</summary>
public sealed class DokuOnlineToOfflineInfo
{
    /// <summary>The code the customer shows at the store.</summary>
    [JsonPropertyName("payment_code")] public string? PaymentCode { get; set; }

    /// <summary>When the code was issued, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("created_date")] public string? CreatedDate { get; set; }

    /// <summary>When the code expires, <c>yyyyMMddHHmmss</c> in UTC+7.</summary>
    [JsonPropertyName("expired_date")] public string? ExpiredDate { get; set; }

    /// <summary>DOKU's page of payment instructions, when sent.</summary>
    [JsonPropertyName("how_to_pay_page")] public string? HowToPayPage { get; set; }
}

/// <summary>The <c>online_to_offline_payment</c> block.</summary>
public sealed class DokuOnlineToOfflinePayment
{
    /// <summary>The store's references.</summary>
    [JsonPropertyName("identifier")] public List<DokuIdentifier>? Identifier { get; set; }
}

/// <summary>The <c>card_payment</c> block (cards and direct debit).</summary>
public sealed class DokuCardPayment
{
    /// <summary>The card number with all but the first six and last four digits masked.</summary>
    [JsonPropertyName("masked_card_number")] public string? MaskedCardNumber { get; set; }

    /// <summary>The issuer's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }

    /// <summary>The acquirer's response code, <c>00</c> when approved.</summary>
    [JsonPropertyName("response_code")] public string? ResponseCode { get; set; }

    /// <summary>The acquirer's response message, e.g. <c>PAYMENT_APPROVED</c>.</summary>
    [JsonPropertyName("response_message")] public string? ResponseMessage { get; set; }

    /// <summary>The installment tenor in months, for installment payments.</summary>
    [JsonPropertyName("installment_tenor")] public int? InstallmentTenor { get; set; }

    /// <summary>The issuing bank, when sent.</summary>
    [JsonPropertyName("issuer")] public string? Issuer { get; set; }

    /// <summary>Status API of an authorization: the id to capture or void with.</summary>
    [JsonPropertyName("authorize_id")] public string? AuthorizeId { get; set; }

    /// <summary><c>SALE</c>, <c>AUTHORIZE</c>, <c>CAPTURE</c>, <c>VOID</c>, <c>FULL_REFUND</c>, … (see <see cref="DokuTransactionType"/>).</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }

    /// <summary>The card operation's own result, <c>SUCCESS</c> for an approved authorization though the order is still <c>PENDING</c>.</summary>
    [JsonPropertyName("transaction_status")] public string? TransactionStatus { get; set; }

    /// <summary>The Request-Id of the card operation, when sent.</summary>
    [JsonPropertyName("request_id")] public string? RequestId { get; set; }
}

/// <summary>The <c>emoney_payment</c> and <c>online_banking_payment</c> blocks.</summary>
public sealed class DokuWalletPayment
{
    /// <summary>The customer's account at the wallet or bank.</summary>
    [JsonPropertyName("account_id")] public string? AccountId { get; set; }

    /// <summary>The wallet's or bank's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }
}

/// <summary>The <c>peer_to_peer_info</c> block (paylater).</summary>
public sealed class DokuPeerToPeerInfo
{
    /// <summary>The reference shared with the lender.</summary>
    [JsonPropertyName("merchant_unique_reference")] public string? MerchantUniqueReference { get; set; }

    /// <summary>The tenor in months.</summary>
    [JsonPropertyName("tenor")] public int? Tenor { get; set; }

    /// <summary>The lender's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }

    /// <summary>Akulaku: the lender's references (<c>ORDER_ID</c>, <c>AKULAKU_UNIQUE_REFERENCE</c>) a refund must quote.</summary>
    [JsonPropertyName("identifier")] public List<DokuIdentifier>? Identifier { get; set; }
}

/// <summary>The <c>shopeepay_payment</c> block.</summary>
public sealed class DokuShopeePayPayment
{
    /// <summary>ShopeePay's references (<c>PAYMENT_REFERENCE_ID</c>, <c>TRANSACTION_SN</c>) a refund must quote.</summary>
    [JsonPropertyName("identifier")] public List<DokuIdentifier>? Identifier { get; set; }
}

/// <summary>The <c>qris_payment</c> block.</summary>
public sealed class DokuQrisPayment
{
    /// <summary>The bill reference in the QR payload.</summary>
    [JsonPropertyName("reference_number")] public string? ReferenceNumber { get; set; }

    /// <summary>The wallet or bank that paid, e.g. <c>GOPAY</c>.</summary>
    [JsonPropertyName("issuer")] public string? Issuer { get; set; }

    /// <summary>The issuer's approval code.</summary>
    [JsonPropertyName("approval_code")] public string? ApprovalCode { get; set; }

    /// <summary>When it was paid, UTC.</summary>
    [JsonPropertyName("date")] public string? Date { get; set; }
}
