using Microsoft.Playwright;

namespace Lunas.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Chromium per test class (Debian's, at <see cref="ExecutablePath"/>; Playwright never downloads one).
/// Each test opens its own context from it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>How long an expect-style wait may take by default: a few seconds, as nothing here is slow.</summary>
    public const float ExpectTimeout = 5_000;

    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (apt-get install chromium)");
        }
        Assertions.SetDefaultExpectTimeout(ExpectTimeout);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
    }
}
