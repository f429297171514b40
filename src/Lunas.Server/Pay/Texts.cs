using System.Globalization;
using Lunas.Protocol.Channels;

namespace Lunas.Server.Pay;

/// <summary>The page's words in English and Indonesian (<c>order.language</c> EN or ID).</summary>
public sealed class Texts
{
    public required string Lang { get; init; }
    public required string Title { get; init; }
    public required string Invoice { get; init; }
    public required string Total { get; init; }
    public required string Items { get; init; }
    public required string ExpiresIn { get; init; }
    public required string ChooseMethod { get; init; }
    public required string BackToMerchant { get; init; }
    public required string ChangeMethod { get; init; }
    public required string Pay { get; init; }
    public required string VaNumber { get; init; }
    public required string VaSteps { get; init; }
    public required string StoreCode { get; init; }
    public required string StoreSteps { get; init; }
    public required string QrisSteps { get; init; }
    public required string CardNumber { get; init; }
    public required string Expiry { get; init; }
    public required string Cvv { get; init; }
    public required string Tenor { get; init; }
    public required string FullPayment { get; init; }
    public required string Months { get; init; }
    public required string Approve { get; init; }
    public required string Decline { get; init; }
    public required string ProviderStep { get; init; }
    public required string AccountLabel { get; init; }
    public required string Otp { get; init; }
    public required string OtpHint { get; init; }
    public required string Confirm { get; init; }
    public required string ChallengeTitle { get; init; }
    public required string Success { get; init; }
    public required string Authorized { get; init; }
    public required string Failed { get; init; }
    public required string Expired { get; init; }
    public required string Cancelled { get; init; }
    public required string Voided { get; init; }
    public required string Refunded { get; init; }
    public required string Recover { get; init; }
    public required string NoRetry { get; init; }
    public required string Waiting { get; init; }
    public required string Redirecting { get; init; }
    public required string Copy { get; init; }
    public required string Copied { get; init; }
    public required string TestCards { get; init; }
    public required IReadOnlyDictionary<ChannelFamily, string> Families { get; init; }

    public static readonly Texts English = new()
    {
        Lang = "en", Title = "Checkout", Invoice = "Invoice", Total = "Total", Items = "Order details",
        ExpiresIn = "Pay within", ChooseMethod = "Choose a payment method", BackToMerchant = "Back to merchant",
        ChangeMethod = "Choose another method", Pay = "Pay", VaNumber = "Virtual account number",
        VaSteps = "Transfer the exact amount to this virtual account number from your bank's ATM, mobile or internet banking. The payment is confirmed automatically.",
        StoreCode = "Payment code", StoreSteps = "Show this payment code at the cashier and pay the exact amount.",
        QrisSteps = "Scan this QRIS code with any QRIS-enabled banking or e-wallet app.",
        CardNumber = "Card number", Expiry = "Expiry (MM/YY)", Cvv = "CVV", Tenor = "Installment",
        FullPayment = "Full payment", Months = "months", Approve = "Approve payment", Decline = "Decline",
        ProviderStep = "You are on {0}'s page (simulated). Approve the payment of {1}?",
        AccountLabel = "Account phone number", Otp = "One-time password", OtpHint = "We sent an OTP to your phone (sandbox: 123456).",
        Confirm = "Confirm", ChallengeTitle = "3-D Secure verification",
        Success = "Payment successful", Authorized = "Payment authorized (on hold)", Failed = "Payment failed",
        Expired = "This order has expired", Cancelled = "This order was cancelled by the merchant",
        Voided = "This payment was voided", Refunded = "This payment was refunded", Recover = "Recover my order", NoRetry = "This order does not allow another attempt.",
        Waiting = "Waiting for your payment…", Redirecting = "Returning to the merchant…", Copy = "Copy", Copied = "Copied",
        TestCards = "Sandbox test cards",
        Families = new Dictionary<ChannelFamily, string>
        {
            [ChannelFamily.VirtualAccount] = "Virtual account", [ChannelFamily.Card] = "Credit / debit card",
            [ChannelFamily.EMoney] = "E-money", [ChannelFamily.Qris] = "QRIS",
            [ChannelFamily.ConvenienceStore] = "Convenience store", [ChannelFamily.Paylater] = "Paylater",
            [ChannelFamily.DirectDebit] = "Direct debit", [ChannelFamily.OnlineBanking] = "Internet banking",
        },
    };

    public static readonly Texts Indonesian = new()
    {
        Lang = "id", Title = "Pembayaran", Invoice = "Nomor tagihan", Total = "Total", Items = "Rincian pesanan",
        ExpiresIn = "Bayar dalam", ChooseMethod = "Pilih metode pembayaran", BackToMerchant = "Kembali ke merchant",
        ChangeMethod = "Pilih metode lain", Pay = "Bayar", VaNumber = "Nomor virtual account",
        VaSteps = "Transfer jumlah yang tepat ke nomor virtual account ini melalui ATM, mobile banking, atau internet banking. Pembayaran dikonfirmasi otomatis.",
        StoreCode = "Kode pembayaran", StoreSteps = "Tunjukkan kode pembayaran ini di kasir dan bayar sesuai jumlah.",
        QrisSteps = "Pindai kode QRIS ini dengan aplikasi bank atau dompet digital yang mendukung QRIS.",
        CardNumber = "Nomor kartu", Expiry = "Masa berlaku (BB/TT)", Cvv = "CVV", Tenor = "Cicilan",
        FullPayment = "Bayar penuh", Months = "bulan", Approve = "Setujui pembayaran", Decline = "Tolak",
        ProviderStep = "Anda berada di halaman {0} (simulasi). Setujui pembayaran sebesar {1}?",
        AccountLabel = "Nomor telepon akun", Otp = "Kode OTP", OtpHint = "Kami mengirim OTP ke ponsel Anda (sandbox: 123456).",
        Confirm = "Konfirmasi", ChallengeTitle = "Verifikasi 3-D Secure",
        Success = "Pembayaran berhasil", Authorized = "Pembayaran diotorisasi (ditahan)", Failed = "Pembayaran gagal",
        Expired = "Pesanan ini sudah kedaluwarsa", Cancelled = "Pesanan ini dibatalkan oleh merchant",
        Voided = "Pembayaran ini dibatalkan (void)", Refunded = "Pembayaran ini sudah dikembalikan (refund)", Recover = "Pulihkan pesanan saya", NoRetry = "Pesanan ini tidak dapat dicoba lagi.",
        Waiting = "Menunggu pembayaran Anda…", Redirecting = "Kembali ke merchant…", Copy = "Salin", Copied = "Tersalin",
        TestCards = "Kartu uji sandbox",
        Families = new Dictionary<ChannelFamily, string>
        {
            [ChannelFamily.VirtualAccount] = "Virtual account", [ChannelFamily.Card] = "Kartu kredit / debit",
            [ChannelFamily.EMoney] = "Uang elektronik", [ChannelFamily.Qris] = "QRIS",
            [ChannelFamily.ConvenienceStore] = "Gerai ritel", [ChannelFamily.Paylater] = "Paylater",
            [ChannelFamily.DirectDebit] = "Debit langsung", [ChannelFamily.OnlineBanking] = "Internet banking",
        },
    };

    public static Texts For(string? language) => string.Equals(language, "ID", StringComparison.OrdinalIgnoreCase) ? Indonesian : English;

    /// <summary>Rupiah as Indonesians write it: <c>Rp80.000</c>.</summary>
    public static string Rupiah(long amount) => "Rp" + amount.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');
}
