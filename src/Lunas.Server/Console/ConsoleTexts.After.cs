namespace Lunas.Server.Console;

/// <summary>The words of the post-payment operations on an order page.</summary>
public sealed record AfterTexts(string Operation, string Cancel, string Capture, string CaptureAmount, string CaptureHint, string Void,
    string Refund, string RefundAmount)
{
    public static readonly AfterTexts En = new("Operation", "Cancel order", "Capture", "Amount to capture",
        "Leave empty to capture the full authorized amount.", "Void", "Refund", "Amount to refund");

    public static readonly AfterTexts Id = new("Operasi", "Batalkan pesanan", "Tangkap dana", "Jumlah yang ditangkap",
        "Kosongkan untuk menangkap seluruh jumlah yang diotorisasi.", "Batalkan transaksi (void)", "Kembalikan dana",
        "Jumlah pengembalian");
}

public sealed partial class ConsoleTexts
{
    public AfterTexts After => Lang == "id" ? AfterTexts.Id : AfterTexts.En;
}
