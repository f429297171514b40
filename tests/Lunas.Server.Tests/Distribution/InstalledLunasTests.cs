using System.Net;
using System.Text.Json;
using Lunas.Server.Merchants;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Distribution;

[CollectionDefinition(nameof(InstalledLunasTests), DisableParallelization = true)]
public sealed class InstalledLunasCollection;

/// <summary>
/// Lunas as its users install it: the <c>lunas</c> .NET tool from a package packed here, and the self-contained single
/// file. Each packs or publishes the server from source (a minute or two), into a temporary folder with its own
/// intermediate files so the solution's bin/ and obj/ stay untouched; the collection runs alone, after the others.
/// </summary>
[Collection(nameof(InstalledLunasTests))]
public sealed class InstalledLunasTests : IDisposable
{
    private const string Version = "0.0.1-test";
    private static readonly string Project = Path.Combine(Paths.RepoRoot, "src", "Lunas.Server", "Lunas.Server.csproj");
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);

    private readonly string _root = Directory.CreateTempSubdirectory("lunas-installed-").FullName;

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    [Fact]
    public async Task Tool_ListsMerchantsAndServesThePage_WhenInstalledFromALocallyPackedPackage()
    {
        var feed = Folder("feed");
        Succeeds(await Command.RunAsync("dotnet", ["pack", Project, "-c", "Release", "-o", feed,
            "--artifacts-path", Folder("artifacts"), $"-p:Version={Version}", "-nologo", "--disable-build-servers"], _root, timeout: BuildTimeout));
        // Only the local feed: the install must not depend on (or be slowed by) any other package source.
        var config = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(config, "<configuration><packageSources><clear /></packageSources></configuration>");
        var tools = Folder("tools");
        Succeeds(await Command.RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "Lunas", "--add-source", feed,
            "--version", Version, "--configfile", config], _root, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Folder("packages") },
            TimeSpan.FromMinutes(3)));
        var lunas = Path.Combine(tools, "lunas");
        var user = new Dictionary<string, string> { ["HOME"] = Folder("home"), ["XDG_DATA_HOME"] = Folder("xdg") };
        var cwd = Folder("cwd");

        var list = await Command.RunAsync(lunas, ["merchants", "list"], cwd, user);

        Succeeds(list);
        Assert.Contains("CLIENT-ID", list.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "xdg", "lunas", "lunas.db")), "the tool's database is not in $XDG_DATA_HOME/lunas");
        Assert.False(Directory.Exists(Path.Combine(cwd, "data")), "the tool wrote ./data in the directory it was started from");
        await using var server = await AppProcess.StartCommandAsync(lunas, [], AppProcess.FreePort(), user, "/healthz", cwd);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        await CssServedAsync(http);
        var again = await Command.RunAsync(lunas, ["merchants", "list"], cwd, user);
        Assert.Contains(MerchantSetup.SandboxName, again.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SingleFile_CreatesAPaymentAndServesItsPage_WithoutDotnetOnThePath()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64, "the profile publishes for linux-x64");
        var publish = Folder("publish");
        Succeeds(await Command.RunAsync("dotnet", ["publish", Project, "-p:PublishProfile=linux-x64", "-o", publish,
            "--artifacts-path", Folder("artifacts"), "-nologo", "--disable-build-servers"], _root, timeout: BuildTimeout));
        Assert.Equal(["lunas"], Directory.GetFileSystemEntries(publish).Select(Path.GetFileName));
        var lunas = Path.Combine(publish, "lunas");
        // Nothing but these: no DOTNET_ROOT, and a PATH on which there is no dotnet.
        var home = Folder("home");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["PATH"] = Folder("empty-bin"),
            ["Lunas__Merchants__0__ClientId"] = TestServer.ClientId,
            ["Lunas__Merchants__0__SecretKey"] = TestServer.SecretKey,
        };

        await using var server = await AppProcess.StartCommandAsync(lunas, [], AppProcess.FreePort(), environment, "/healthz",
            Folder("cwd"), inheritEnvironment: false);

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        using var created = await http.SendAsync(SignedHttp.Request("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice())));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.OK, body + server.Output);
        using var json = JsonDocument.Parse(body);
        var url = json.RootElement.GetProperty("response").GetProperty("payment").GetProperty("url").GetString()!;
        var page = await http.GetStringAsync(url);
        Assert.Contains("/checkout-link-v2/assets/pay.css", page, StringComparison.Ordinal);
        await CssServedAsync(http);
        Assert.True(File.Exists(Path.Combine(home, ".local", "share", "lunas", "lunas.db")), "the single file's database is not in ~/.local/share/lunas");
    }

    private static async Task CssServedAsync(HttpClient http)
    {
        using var css = await http.GetAsync("/checkout-link-v2/assets/pay.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.True((await css.Content.ReadAsByteArrayAsync()).Length > 100);
    }

    private static void Succeeds(Command command) => Assert.True(command.ExitCode == 0, command.Output);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
