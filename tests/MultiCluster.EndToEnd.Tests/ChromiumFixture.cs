using Microsoft.Playwright;

namespace MultiCluster.EndToEnd.Tests;

/// <summary>
/// The machine's Chromium driven by Playwright. Playwright's own browser download is never used; without
/// /usr/bin/chromium these tests fail and say how to get it.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath}. Run ./test.sh, which installs Debian's chromium package.");
        }
        // A loaded CI machine can take well over Playwright's default 5 s for a redirect chain through an
        // identity provider or a first Blazor circuit; a slow pass is still a pass, a wrong page still fails.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
