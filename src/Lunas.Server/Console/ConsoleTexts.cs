namespace Lunas.Server.Console;

/// <summary>The console's words in English and Indonesian (chosen by the <c>lunas.lang</c> cookie, else Accept-Language).</summary>
public sealed partial class ConsoleTexts
{
    public required string Lang { get; init; }
    public required string Title { get; init; }
    public required string SkipToContent { get; init; }
    public required string Overview { get; init; }
    public required string Orders { get; init; }
    public required string Notifications { get; init; }
    public required string Settings { get; init; }
    public required string Merchants { get; init; }
    public required string SignOut { get; init; }
    public required string SignedInAs { get; init; }
    public required string OtherLanguage { get; init; }
    public required string OtherLanguageCode { get; init; }
    public required string SignInTitle { get; init; }
    public required string ClientIdLabel { get; init; }
    public required string SecretLabel { get; init; }
    public required string SignInButton { get; init; }
    public required string SignInFailed { get; init; }
    public required string SignInHint { get; init; }
    public required string FormExpired { get; init; }
    public required string Search { get; init; }
    public required string Status { get; init; }
    public required string Channel { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Any { get; init; }
    public required string Filter { get; init; }
    public required string Invoice { get; init; }
    public required string Amount { get; init; }
    public required string Created { get; init; }
    public required string Merchant { get; init; }
    public required string NoOrders { get; init; }
    public required string Older { get; init; }
    public required string Newest { get; init; }
    public required string Order { get; init; }
    public required string Timeline { get; init; }
    public required string EventCreated { get; init; }
    public required string RequestBody { get; init; }
    public required string ResponseBody { get; init; }
    public required string EventAttempt { get; init; }
    public required string EventStatus { get; init; }
    public required string EventNotification { get; init; }
    public required string EventDelivery { get; init; }
    public required string Answer { get; init; }
    public required string NoAnswer { get; init; }
    public required string Latency { get; init; }
    public required string OpenPaymentPage { get; init; }
    public required string Actions { get; init; }
    public required string Pay { get; init; }
    public required string Fail { get; init; }
    public required string Pass3ds { get; init; }
    public required string Fail3ds { get; init; }
    public required string Expire { get; init; }
    public required string NoActions { get; init; }
    public required string Done { get; init; }
    public required string Expires { get; init; }
    public required string RequestId { get; init; }
    public required string All { get; init; }
    public required string Delivered { get; init; }
    public required string Failing { get; init; }
    public required string GivenUp { get; init; }
    public required string Resend { get; init; }
    public required string Event { get; init; }
    public required string Url { get; init; }
    public required string Attempts { get; init; }
    public required string LastAnswer { get; init; }
    public required string NoNotifications { get; init; }
    public required string NotificationUrl { get; init; }
    public required string Save { get; init; }
    public required string Saved { get; init; }
    public required string BadUrl { get; init; }
    public required string Name { get; init; }
    public required string NameRequired { get; init; }
    public required string EnabledChannels { get; init; }
    public required string AllChannelsHint { get; init; }
    public required string RotateKey { get; init; }
    public required string Overlap { get; init; }
    public required string Immediately { get; init; }
    public required string Hours { get; init; }
    public required string Rotate { get; init; }
    public required string NewKey { get; init; }
    public required string ShownOnce { get; init; }
    public required string OldKeyUntil { get; init; }
    public required string OldKeyStopped { get; init; }
    public required string CreateMerchant { get; init; }
    public required string Create { get; init; }
    public required string Disable { get; init; }
    public required string Enable { get; init; }
    public required string Disabled { get; init; }
    public required string Credentials { get; init; }
    public required string Today { get; init; }
    public required string Last7Days { get; init; }
    public required string ByStatus { get; init; }
    public required string ByChannel { get; init; }
    public required string Count { get; init; }
    public required string DeliverySuccess { get; init; }
    public required string NoData { get; init; }
    public required string NotFound { get; init; }
    public required string Back { get; init; }
    public required string NoChannel { get; init; }

    public static readonly ConsoleTexts English = new()
    {
        Lang = "en",
        Title = "Lunas console",
        SkipToContent = "Skip to content",
        Overview = "Overview",
        Orders = "Orders",
        Notifications = "Notifications",
        Settings = "Settings",
        Merchants = "Merchants",
        SignOut = "Sign out",
        SignedInAs = "Signed in as",
        OtherLanguage = "Bahasa Indonesia",
        OtherLanguageCode = "id",
        SignInTitle = "Sign in",
        ClientIdLabel = "Client-Id (or operator user name)",
        SecretLabel = "Secret Key (or operator password)",
        SignInButton = "Sign in",
        SignInFailed = "The Client-Id or the key is wrong.",
        SignInHint = "Merchants sign in with the Client-Id and Secret Key the API uses. The operator's password was printed when Lunas first started.",
        FormExpired = "This form has expired. Reload the page and try again.",
        Search = "Invoice, Request-Id or customer email",
        Status = "Status",
        Channel = "Channel",
        From = "From",
        To = "To",
        Any = "Any",
        Filter = "Filter",
        Invoice = "Invoice",
        Amount = "Amount",
        Created = "Created",
        Merchant = "Merchant",
        NoOrders = "No orders match.",
        Older = "Older",
        Newest = "Newest",
        Order = "Order",
        Timeline = "Timeline",
        EventCreated = "Created through the API",
        RequestBody = "Request",
        ResponseBody = "Response",
        EventAttempt = "Payment attempt",
        EventStatus = "Status changed to",
        EventNotification = "Notification",
        EventDelivery = "Delivery attempt",
        Answer = "Answer",
        NoAnswer = "no answer",
        Latency = "Latency",
        OpenPaymentPage = "Open the payment page",
        Actions = "Act as the bank or the customer",
        Pay = "Pay",
        Fail = "Fail",
        Pass3ds = "Pass the 3-D Secure challenge",
        Fail3ds = "Fail the 3-D Secure challenge",
        Expire = "Expire now",
        NoActions = "Nothing can be done on this order now.",
        Done = "Done.",
        Expires = "Expires",
        RequestId = "Request-Id",
        All = "All",
        Delivered = "Delivered",
        Failing = "Failing",
        GivenUp = "Given up",
        Resend = "Resend",
        Event = "Event",
        Url = "URL",
        Attempts = "Attempts",
        LastAnswer = "Last answer",
        NoNotifications = "No notifications match.",
        NotificationUrl = "Notification URL",
        Save = "Save",
        Saved = "Saved.",
        BadUrl = "The notification URL must be an absolute http or https URL.",
        Name = "Name",
        NameRequired = "The name must be filled.",
        EnabledChannels = "Enabled channels",
        AllChannelsHint = "None ticked means every channel.",
        RotateKey = "Rotate the Secret Key",
        Overlap = "Old key keeps working for",
        Immediately = "none (stops now)",
        Hours = "hours",
        Rotate = "Generate a new key",
        NewKey = "New Secret Key",
        ShownOnce = "Copy it now: it is shown only this once.",
        OldKeyUntil = "The previous key verifies requests until",
        OldKeyStopped = "The previous key no longer verifies requests.",
        CreateMerchant = "Create a merchant",
        Create = "Create",
        Disable = "Disable",
        Enable = "Enable",
        Disabled = "disabled",
        Credentials = "The new merchant's credentials",
        Today = "Today",
        Last7Days = "Last 7 days",
        ByStatus = "By status",
        ByChannel = "By channel",
        Count = "Count",
        DeliverySuccess = "Notification delivery",
        NoData = "No orders yet.",
        NotFound = "Not found.",
        Back = "Back",
        NoChannel = "none",
    };

    public static readonly ConsoleTexts Indonesian = new()
    {
        Lang = "id",
        Title = "Konsol Lunas",
        SkipToContent = "Langsung ke isi",
        Overview = "Ringkasan",
        Orders = "Pesanan",
        Notifications = "Notifikasi",
        Settings = "Pengaturan",
        Merchants = "Merchant",
        SignOut = "Keluar",
        SignedInAs = "Masuk sebagai",
        OtherLanguage = "English",
        OtherLanguageCode = "en",
        SignInTitle = "Masuk",
        ClientIdLabel = "Client-Id (atau nama pengguna operator)",
        SecretLabel = "Secret Key (atau kata sandi operator)",
        SignInButton = "Masuk",
        SignInFailed = "Client-Id atau kunci salah.",
        SignInHint = "Merchant masuk dengan Client-Id dan Secret Key yang dipakai API. Kata sandi operator dicetak saat Lunas pertama kali dijalankan.",
        FormExpired = "Formulir ini kedaluwarsa. Muat ulang halaman dan coba lagi.",
        Search = "Nomor tagihan, Request-Id atau email pelanggan",
        Status = "Status",
        Channel = "Kanal",
        From = "Dari",
        To = "Sampai",
        Any = "Semua",
        Filter = "Saring",
        Invoice = "Nomor tagihan",
        Amount = "Jumlah",
        Created = "Dibuat",
        Merchant = "Merchant",
        NoOrders = "Tidak ada pesanan yang cocok.",
        Older = "Lebih lama",
        Newest = "Terbaru",
        Order = "Pesanan",
        Timeline = "Riwayat",
        EventCreated = "Dibuat melalui API",
        RequestBody = "Permintaan",
        ResponseBody = "Respons",
        EventAttempt = "Percobaan pembayaran",
        EventStatus = "Status berubah menjadi",
        EventNotification = "Notifikasi",
        EventDelivery = "Percobaan pengiriman",
        Answer = "Jawaban",
        NoAnswer = "tidak ada jawaban",
        Latency = "Latensi",
        OpenPaymentPage = "Buka halaman pembayaran",
        Actions = "Bertindak sebagai bank atau pelanggan",
        Pay = "Bayar",
        Fail = "Gagalkan",
        Pass3ds = "Lulus verifikasi 3-D Secure",
        Fail3ds = "Gagal verifikasi 3-D Secure",
        Expire = "Kedaluwarsakan sekarang",
        NoActions = "Tidak ada tindakan yang dapat dilakukan pada pesanan ini.",
        Done = "Selesai.",
        Expires = "Kedaluwarsa",
        RequestId = "Request-Id",
        All = "Semua",
        Delivered = "Terkirim",
        Failing = "Gagal, dicoba lagi",
        GivenUp = "Dihentikan",
        Resend = "Kirim ulang",
        Event = "Peristiwa",
        Url = "URL",
        Attempts = "Percobaan",
        LastAnswer = "Jawaban terakhir",
        NoNotifications = "Tidak ada notifikasi yang cocok.",
        NotificationUrl = "URL notifikasi",
        Save = "Simpan",
        Saved = "Tersimpan.",
        BadUrl = "URL notifikasi harus URL http atau https yang lengkap.",
        Name = "Nama",
        NameRequired = "Nama harus diisi.",
        EnabledChannels = "Kanal aktif",
        AllChannelsHint = "Tanpa centang berarti semua kanal.",
        RotateKey = "Ganti Secret Key",
        Overlap = "Kunci lama tetap berlaku selama",
        Immediately = "tidak ada (langsung berhenti)",
        Hours = "jam",
        Rotate = "Buat kunci baru",
        NewKey = "Secret Key baru",
        ShownOnce = "Salin sekarang: kunci ini hanya ditampilkan sekali.",
        OldKeyUntil = "Kunci sebelumnya memverifikasi permintaan sampai",
        OldKeyStopped = "Kunci sebelumnya tidak lagi memverifikasi permintaan.",
        CreateMerchant = "Buat merchant",
        Create = "Buat",
        Disable = "Nonaktifkan",
        Enable = "Aktifkan",
        Disabled = "nonaktif",
        Credentials = "Kredensial merchant baru",
        Today = "Hari ini",
        Last7Days = "7 hari terakhir",
        ByStatus = "Menurut status",
        ByChannel = "Menurut kanal",
        Count = "Jumlah transaksi",
        DeliverySuccess = "Pengiriman notifikasi",
        NoData = "Belum ada pesanan.",
        NotFound = "Tidak ditemukan.",
        Back = "Kembali",
        NoChannel = "tidak ada",
    };

    public const string LanguageCookie = "lunas.lang";

    public static ConsoleTexts For(HttpContext context)
    {
        var chosen = context.Request.Cookies[LanguageCookie];
        if (chosen is "id") return Indonesian;
        if (chosen is "en") return English;
        return context.Request.Headers.AcceptLanguage.ToString().StartsWith("id", StringComparison.OrdinalIgnoreCase) ? Indonesian : English;
    }

    /// <summary>Rupiah as Indonesians write it: <c>Rp80.000</c>.</summary>
    public static string Rupiah(long amount) => Lunas.Server.Pay.Texts.Rupiah(amount);
}
