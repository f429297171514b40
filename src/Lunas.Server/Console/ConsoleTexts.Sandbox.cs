namespace Lunas.Server.Console;

/// <summary>The words of the sandbox test controls on the notifications page: fault settings and the receiver check.</summary>
public sealed record SandboxTexts(string Title, string Hint, string Faults, string FaultsHint, string NoFaults, string Kind,
    string KindNames, string Number, string NumberHint, string Times, string TimesShort, string AnyChannel, string Remaining, string SetFault,
    string ClearFaults, string FaultSet, string FaultsCleared, string Check, string CheckHint, string RunCheck, string NoUrl,
    string Case, string Expected, string Got, string Result, string Pass, string Fail, string CheckPassed, string CheckFailed)
{
    public static readonly SandboxTexts En = new("Sandbox test controls",
        "Only on a sandbox Lunas: the same settings as the signed /sandbox/v1 API.",
        "Notification faults",
        "What goes wrong with the next notifications. Setting a fault replaces the current ones.",
        "No faults: notifications go out as usual.",
        "Fault",
        "duplicate: sent several times · delay: held back · drop: attempts answered as lost · bad_signature: a forged copy first · out_of_order: FAILED after SUCCESS",
        "Number",
        "Copies for duplicate (2–10), seconds for delay (1–86400), attempts for drop (1–10); empty for the others.",
        "Times (notifications it applies to)",
        "Times",
        "Any channel",
        "Left",
        "Set fault",
        "Clear all faults",
        "Fault set.",
        "Faults cleared.",
        "Receiver check",
        "Sends the notification URL a correct notification, its repeat, and forged or broken ones that a receiver must refuse.",
        "Run the receiver check",
        "Set a notification URL first.",
        "Case",
        "Expected",
        "Got",
        "Result",
        "pass",
        "fail",
        "The receiver passed every case.",
        "The receiver failed some cases.");

    public static readonly SandboxTexts Id = new("Kontrol uji sandbox",
        "Hanya pada Lunas sandbox: pengaturan yang sama dengan API /sandbox/v1 yang ditandatangani.",
        "Gangguan notifikasi",
        "Apa yang salah pada notifikasi berikutnya. Mengatur gangguan menggantikan yang sekarang.",
        "Tidak ada gangguan: notifikasi dikirim seperti biasa.",
        "Gangguan",
        "duplicate: dikirim beberapa kali · delay: ditahan · drop: percobaan dianggap hilang · bad_signature: salinan palsu lebih dulu · out_of_order: FAILED setelah SUCCESS",
        "Angka",
        "Salinan untuk duplicate (2–10), detik untuk delay (1–86400), percobaan untuk drop (1–10); kosongkan untuk yang lain.",
        "Berapa kali (jumlah notifikasi)",
        "Kali",
        "Semua kanal",
        "Sisa",
        "Atur gangguan",
        "Hapus semua gangguan",
        "Gangguan diatur.",
        "Gangguan dihapus.",
        "Pemeriksaan penerima",
        "Mengirim ke URL notifikasi sebuah notifikasi yang benar, pengulangannya, dan notifikasi palsu atau rusak yang harus ditolak penerima.",
        "Jalankan pemeriksaan penerima",
        "Atur URL notifikasi terlebih dahulu.",
        "Kasus",
        "Diharapkan",
        "Diterima",
        "Hasil",
        "lulus",
        "gagal",
        "Penerima lulus semua kasus.",
        "Penerima gagal pada beberapa kasus.");
}

public sealed partial class ConsoleTexts
{
    public SandboxTexts Sandbox => Lang == "id" ? SandboxTexts.Id : SandboxTexts.En;
}
