using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.Playwright;

namespace MultiCluster.Benchmarks;

/// <summary>
/// The live pages on a scenario's fleet, in Chromium: a person signs in, opens Pods and Overview tabs, and the
/// benchmark measures what the tabs cost the dashboard (CPU, resident memory per tab) and what the person waits for
/// (first rows, a name filter, a sort, a pod created with the Kubernetes API until its row is on screen).
/// </summary>
public static partial class PagesBenchmark
{
    private const string Password = "pages-benchmark-password";

    public static async Task<int> RunAsync(FleetScenario scenario, int podsTabs, int overviewTabs, string outDirectory)
    {
        Directory.CreateDirectory(outDirectory);
        var work = Directory.CreateTempSubdirectory($"mc-bench-pages-{scenario.Name}-").FullName;
        Report.Line($"# Pages benchmark on '{scenario.Name}' ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC): {podsTabs} Pods tabs and {overviewTabs} Overview tabs in Chromium");
        Report.Line($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        await using var fleet = await RunningFleet.StartAsync(scenario, work);
        var dashboard = fleet.Dashboard;
        var oneTime = await dashboard.CreateUserAsync("pages", "Viewer");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(120_000);
        // The dashboard runs with Production settings, so its sign-in cookie is Secure: Chromium keeps such a cookie over
        // plain HTTP only for localhost, a secure context.
        var site = new UriBuilder(dashboard.BaseUrl) { Host = "localhost" }.Uri;
        await SignInAsync(context, site, oneTime);

        // One tab of each opened and closed first: what the first page of a kind costs once (code loaded and compiled)
        // is not a tab's cost.
        foreach (var (address, testId) in new[] { ("/pods", "pod-name"), ("/", "overview-cluster") })
        {
            var warm = await context.NewPageAsync();
            await warm.GotoAsync(new Uri(site, address).ToString());
            await warm.GetByTestId(testId).First.WaitForAsync();
            await warm.CloseAsync();
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (idleCpu, idleRss) = await SampleAsync(dashboard, TimeSpan.FromSeconds(20));
        var idleLive = await LiveAfterNextFullCollectionAsync(dashboard);
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"no tab open: dashboard {idleCpu:0}% of a core, {FleetBenchmark.Mb(idleRss)} resident, {Live(idleLive)}"));

        var firstRows = new List<double>();
        var found = new List<double>();
        var loaded = new List<double>();
        var navigation = new List<double[]>();
        var mainThread = new List<Dictionary<string, double>>();
        var pods = new List<IPage>();
        for (var i = 0; i < podsTabs; i++)
        {
            var page = await context.NewPageAsync();
            // What the tab's main thread did up to the load event (Chromium's own counters, over the DevTools protocol).
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Performance.enable");
            var clock = Stopwatch.StartNew();
            // The rows come in the server's first response (prerendered): they are on screen when the browser first
            // paints them, whether or not the page's scripts have loaded by then. The browser says when that was (the
            // first row's Element Timing entry, from the navigation's start); the benchmark's own clock runs on to the
            // moment Playwright found the row, which waits for the page's main thread (busy with the scripts) as well.
            await page.GotoAsync(new Uri(site, "/pods").ToString(), new() { WaitUntil = WaitUntilState.Commit });
            await page.GetByTestId("pod-name").First.WaitForAsync();
            found.Add(clock.Elapsed.TotalMilliseconds);
            firstRows.Add(await page.EvaluateAsync<double>(
                "() => new Promise(painted => new PerformanceObserver((list, observer) => { const row = list.getEntries().find(e => e.identifier === 'first-pod-row'); " +
                "if (row) { observer.disconnect(); painted(row.renderTime || row.loadTime); } }).observe({ type: 'element', buffered: true }))"));
            await page.WaitForLoadStateAsync(LoadState.Load);
            loaded.Add(clock.Elapsed.TotalMilliseconds);
            mainThread.Add(await MainThreadAsync(cdp));
            // The open tab is measured on (CPU, memory): it keeps no DevTools session that collects counters.
            await cdp.DetachAsync();
            navigation.Add(await page.EvaluateAsync<double[]>(
                "() => { const n = performance.getEntriesByType('navigation')[0]; return [n.responseStart - n.requestStart, n.responseEnd - n.requestStart, n.domContentLoadedEventEnd, n.loadEventEnd]; }"));
            pods.Add(page);
        }
        var overviewFirst = new List<double>();
        for (var i = 0; i < overviewTabs; i++)
        {
            var page = await context.NewPageAsync();
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(site, "/").ToString());
            await page.GetByTestId("overview-cluster").Nth(scenario.Clusters - 1).WaitForAsync();
            overviewFirst.Add(clock.Elapsed.TotalMilliseconds);
        }
        await Task.Delay(TimeSpan.FromSeconds(10));
        var (openCpu, openRss) = await SampleAsync(dashboard, TimeSpan.FromSeconds(20));
        var openLive = await LiveAfterNextFullCollectionAsync(dashboard);
        var tabs = podsTabs + overviewTabs;
        var perTab = (openRss - idleRss) / Math.Max(1, tabs);
        // Resident memory moves by hundreds of MB with the collections under churn; what a full collection promotes moves
        // less, though after a background collection it is a hint, not a measure (see RuntimeFigures).
        double? livePerTab = idleLive is { } idleFigure && openLive is { } openFigure ? (openFigure.Mb - idleFigure.Mb) / Math.Max(1, tabs) : null;
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"{tabs} tabs open: dashboard {openCpu:0}% of a core, {FleetBenchmark.Mb(openRss)} resident, {Live(openLive)}: {(openCpu - idleCpu) / tabs:0.0}% " +
            $"and {perTab / 1024.0 / 1024.0:0.0} MB resident per tab, {(livePerTab is { } l ? $"{l:0.00} MB" : "unknown")} promoted per tab"));
        Report.Line($"first rows on screen (navigation → the browser painted the first pod row): {Percentiles.Of(firstRows)}; Overview, every cluster's row: {Percentiles.Of(overviewFirst)}");
        Report.Line($"  by the benchmark's clock: Playwright found the first row {Percentiles.Of(found)}; the page's load event (its scripts in) {Percentiles.Of(loaded)}");
        Report.Line($"  the Pods tabs' navigations, as the browser timed them: the server's first byte {Percentiles.Of(navigation.Select(n => n[0]))}; the whole HTML {Percentiles.Of(navigation.Select(n => n[1]))}; " +
            $"DOMContentLoaded {Percentiles.Of(navigation.Select(n => n[2]))}; load event {Percentiles.Of(navigation.Select(n => n[3]))}");
        Report.Line("  the Pods tabs' main threads up to the load event, p50 of each (ms): " + string.Join(", ",
            new[] { "TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "TaskOtherDuration" }
                .Select(name => string.Create(CultureInfo.InvariantCulture, $"{name.Replace("Duration", "", StringComparison.Ordinal)} {Percentiles.Of(mainThread.Select(m => m.GetValueOrDefault(name))).P50:0}"))));

        // What a person on the first Pods tab waits for.
        var tab = pods[0];
        await tab.Locator("[data-interactive=true]").WaitForAsync();
        // The tab a person sorts and types in is the one in front. Opened first, this one is behind the 19 opened after it,
        // and Chromium draws a tab behind others seldom, though every tab says it is visible: on the smoke fleet the frame
        // showing the filtered rows began 730 ms after the rows changed in a tab behind, 3 ms after in front.
        await tab.BringToFrontAsync();
        var before = await tab.GetByTestId("pod-name").First.InnerTextAsync();
        var click = await TimeAsync(() => tab.Locator("thead").GetByText("Age", new() { Exact = true }).ClickAsync());
        var sort = await TimeAsync(() => WaitUntilAsync(async () => await tab.GetByTestId("pod-name").First.InnerTextAsync() != before));
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"a click on the Age header (youngest first): the first row is another pod {sort:0} ms after the click (Playwright's click itself took {click:0} ms)"));

        var (markers, missing) = await MarkersOnScreenAsync(fleet, tab, count: 20, outDirectory);
        Report.Line($"pod created with the Kubernetes API → its row on the filtered Pods tab: {markers}; {missing} of 20 not shown within 30 s");

        var fill = 0.0;
        const string QueryTime = "multicluster_pods_query_duration_seconds";
        var queriesBefore = await dashboard.HistogramAsync(QueryTime, "search=\"name\"");
        await tab.EvaluateAsync(WatchFilterScript);
        var filterBegan = DateTime.UtcNow;
        var filter = await TimeAsync(async () =>
        {
            // On a loaded machine Playwright's own typing takes a while (as its clicks do): timed apart.
            fill = await TimeAsync(() => tab.GetByTestId("pod-search").FillAsync("pages-marker-7"));
            await tab.GetByText("pages-marker-19", new() { Exact = true }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        });
        var queriesAfter = await dashboard.HistogramAsync(QueryTime, "search=\"name\"");
        var (searches, searchSeconds) = (queriesAfter.Count - queriesBefore.Count, queriesAfter.Sum - queriesBefore.Sum);
        var inPage = await tab.EvaluateAsync<double[]>(FilterTimesScript);
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"name filter typed → table shows its rows, on the page's own clock: the rows changed {inPage[0]:0} ms after the input event, the frame showing them began " +
            $"after {inPage[1]:0} ms: {inPage[1] - 250:0} ms after the field's 250 ms debounce (typed at {filterBegan:HH:mm:ss.fff} UTC)"));
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"  by the benchmark's clock: {filter:0} ms (of which 250 ms is the debounce, and {fill:0} ms Playwright's typing itself: {filter - fill - 250:0} ms after the debounce, " +
            $"with Playwright's own round trips); server time of the name searches meanwhile: {searches} queries, {(searches == 0 ? 0 : searchSeconds * 1000 / searches):0.0} ms each"));

        var result = new Dictionary<string, object?>
        {
            ["scenario"] = scenario.Name,
            ["podsTabs"] = podsTabs,
            ["overviewTabs"] = overviewTabs,
            ["cpuPercentIdle"] = Math.Round(idleCpu, 1),
            ["cpuPercentWithTabs"] = Math.Round(openCpu, 1),
            ["bytesPerTab"] = perTab,
            ["liveBytesPerTab"] = livePerTab is { } live ? Math.Round(live * 1024 * 1024) : null,
            ["firstRowsMsP50"] = Math.Round(Percentiles.Of(firstRows).P50),
            ["firstRowsMsP90"] = Math.Round(Percentiles.Of(firstRows).P90),
            ["firstRowFoundMsP50"] = Math.Round(Percentiles.Of(found).P50),
            ["loadEventMsP50"] = Math.Round(Percentiles.Of(loaded).P50),
            ["sortMs"] = Math.Round(sort),
            ["filterMs"] = Math.Round(filter),
            ["filterAfterDebounceMs"] = Math.Round(filter - fill - 250),
            ["filterInPageRowsChangedMs"] = Math.Round(inPage[0]),
            ["filterInPageAfterDebounceMs"] = Math.Round(inPage[1] - 250),
            ["filterServerMsEach"] = searches == 0 ? null : Math.Round(searchSeconds * 1000 / searches, 1),
            ["changeToScreenMsP50"] = markers.Count > 0 ? Math.Round(markers.P50) : null,
            ["changeToScreenMsP99"] = markers.Count > 0 ? Math.Round(markers.P99) : null,
            ["markersMissing"] = missing,
        };
        var path = Path.Combine(outDirectory, $"pages-{scenario.Name}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        Report.Line($"written to {Path.GetFullPath(path)}; the simulator's and the dashboard's output, with the time of each line: {work}/*.log");
        return 0;
    }

    /// <summary>
    /// What a person typing in the name filter sees, on the page's own clock: from the input event the typing fires to the
    /// moment the table no longer shows marker 19 (the render applied), and to the start of the next frame (the one that
    /// paints it). The benchmark's own clock adds Playwright's round trips to its driver and back, on the same loaded cores.
    /// </summary>
    private const string WatchFilterScript = """
        () => {
          const times = window.__filterTimes = { typed: null, changed: null, frame: null };
          document.addEventListener('input', e => { if (e.target.closest?.('[data-testid=pod-search]')) times.typed = e.timeStamp; }, true);
          const shows = () => [...document.querySelectorAll('[data-testid=pod-name]')].some(e => e.textContent.trim() === 'pages-marker-19');
          const observer = new MutationObserver(() => {
            if (times.typed !== null && times.changed === null && !shows()) {
              times.changed = performance.now();
              observer.disconnect();
              requestAnimationFrame(() => { times.frame = performance.now(); });
            }
          });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        }
        """;

    /// <summary>The filter's times on the page's clock, from the input event (ms): the rows changed, and the next frame began.</summary>
    private const string FilterTimesScript = """
        () => new Promise(done => {
          const read = () => {
            const t = window.__filterTimes;
            if (t.frame !== null) { done([t.changed - t.typed, t.frame - t.typed]); } else { setTimeout(read, 20); }
          };
          read();
        })
        """;

    /// <summary>Chromium's busy-time counters for a tab (Performance.getMetrics: task, script, style, layout), in milliseconds.</summary>
    private static async Task<Dictionary<string, double>> MainThreadAsync(ICDPSession cdp)
    {
        var metrics = await cdp.SendAsync("Performance.getMetrics");
        return metrics!.Value.GetProperty("metrics").EnumerateArray()
            .Where(m => m.GetProperty("name").GetString()!.EndsWith("Duration", StringComparison.Ordinal))
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble() * 1000);
    }

    private static async Task SignInAsync(IBrowserContext context, Uri baseUrl, string oneTime)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseUrl, "/").ToString());
        await page.GetByLabel("User name").FillAsync("pages");
        await page.GetByLabel("Password").FillAsync(oneTime);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByLabel("Current password").FillAsync(oneTime);
        await page.GetByLabel("New password (at least 12 characters)").FillAsync(Password);
        await page.GetByLabel("New password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the new password" }).ClickAsync();
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.CloseAsync();
    }

    /// <summary>
    /// What the dashboard's first full collection from now on promoted (its runtime figures say, every 5 s), or null when
    /// none ran within 3 minutes.
    /// </summary>
    private static async Task<(double Mb, long Collection)?> LiveAfterNextFullCollectionAsync(Dashboard dashboard)
    {
        static (double Mb, long Collection)? Last(IEnumerable<string> lines) => lines
            .Select(l => AliveFigure().Match(l))
            .Where(m => m.Success)
            .Select(m => (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .LastOrDefault() is { Item2: > 0 } found ? found : null;
        var since = Last(dashboard.Process.Lines)?.Collection ?? 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (Last(dashboard.Process.Lines) is { } now && now.Collection > since)
            {
                return now;
            }
            await Task.Delay(1000);
        }
        return null;
    }

    private static string Live((double Mb, long Collection)? live) =>
        live is { } l ? string.Create(CultureInfo.InvariantCulture, $"{l.Mb:0.0} MB promoted by full collection #{l.Collection}") : "no full collection within 3 minutes";

    [GeneratedRegex(@"([\d.]+) MB promoted by full collection #(\d+)")]
    private static partial Regex AliveFigure();

    /// <summary>The dashboard's CPU (percent of one core) over <paramref name="window"/>, and its resident memory at the end.</summary>
    private static async Task<(double CpuPercent, long Rss)> SampleAsync(Dashboard dashboard, TimeSpan window)
    {
        var before = dashboard.Process.CpuTime();
        var browserBefore = BrowserCpuTime();
        var machineBefore = Environment.TickCount64;
        await Task.Delay(window);
        var cpu = (dashboard.Process.CpuTime() - before).TotalSeconds / window.TotalSeconds * 100;
        // The browsers share the dashboard's two cores here, which users' browsers would not: say what they took.
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"  over {window.TotalSeconds:0} s: dashboard {cpu:0}% of a core, Chromium (all its processes) {(BrowserCpuTime() - browserBefore).TotalSeconds / ((Environment.TickCount64 - machineBefore) / 1000.0) * 100:0}%, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        return (cpu, dashboard.Process.ResidentBytes());
    }

    /// <summary>CPU time of every Chromium process on the machine (user and system), from /proc.</summary>
    private static TimeSpan BrowserCpuTime()
    {
        var total = TimeSpan.Zero;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')].Contains("chrom", StringComparison.OrdinalIgnoreCase))
                {
                    total += ChildProcess.CpuTimeOf(stat);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // Not a process, or one that ended meanwhile.
            }
        }
        return total;
    }

    /// <summary>Pods created one a second through the Kubernetes API; from just before each create to its row in the tab.</summary>
    private static async Task<(Percentiles Shown, int Missing)> MarkersOnScreenAsync(RunningFleet fleet, IPage tab, int count, string outDirectory)
    {
        var missing = 0;
        await tab.GetByTestId("pod-search").FillAsync("pages-marker");
        await tab.GetByTestId("no-pods").WaitForAsync();
        var clients = fleet.Contexts.Select(c => new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fleet.Kubeconfig, currentContext: c))).ToList();
        var samples = new List<double>();
        var inStore = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var name = $"pages-marker-{i}";
            var context = fleet.Contexts[i % clients.Count];
            var sent = Stopwatch.GetTimestamp();
            var clock = Stopwatch.StartNew();
            await clients[i % clients.Count].CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            }, "default");
            try
            {
                await tab.GetByText(name, new() { Exact = true }).WaitForAsync(new() { Timeout = 30_000 });
                samples.Add(clock.Elapsed.TotalMilliseconds);
                // The dashboard's store had it when the hub client (following every pod) first saw it.
                if (fleet.Hub.TryFirstSeen(context, $"default/{name}", out var seen))
                {
                    inStore.Add(Stopwatch.GetElapsedTime(sent, seen).TotalMilliseconds);
                }
            }
            catch (TimeoutException)
            {
                // Say which marker and what the tab showed instead, and go on with the next one.
                var picture = Path.Combine(outDirectory, $"pages-marker-{i}-missing.png");
                await tab.ScreenshotAsync(new() { Path = picture, FullPage = true });
                Report.Line($"{name}: not on the tab within 30 s (the tab as it was: {picture}); the hub client " +
                    (fleet.Hub.TryFirstSeen(context, $"default/{name}", out var seen) ? $"had it {Stopwatch.GetElapsedTime(sent, seen).TotalMilliseconds:0} ms after the create" : "does not have it"));
                missing++;
                // Is it the store or the tab? A fresh tab with the same search says.
                var fresh = await tab.Context.NewPageAsync();
                await fresh.GotoAsync(tab.Url);
                await fresh.GetByTestId("pod-search").FillAsync("pages-marker");
                var shown = await fresh.GetByText(name, new() { Exact = true }).WaitForAsync(new() { Timeout = 30_000 }).ContinueWith(t => t.IsCompletedSuccessfully);
                Report.Line($"{name}: a fresh tab with the same search {(shown ? "shows it" : "does not show it either")}");
                // Late or lost: does the store get it at all?
                var waited = Stopwatch.StartNew();
                while (!fleet.Hub.TryFirstSeen(context, $"default/{name}", out _) && waited.Elapsed < TimeSpan.FromMinutes(2))
                {
                    await Task.Delay(500);
                }
                Report.Line($"{name}: " + (fleet.Hub.TryFirstSeen(context, $"default/{name}", out var late)
                    ? $"the hub client had it {Stopwatch.GetElapsedTime(sent, late).TotalSeconds:0.0} s after the create"
                    : "the hub client still does not have it 2 minutes later"));
                await fresh.CloseAsync();
                foreach (var line in fleet.Dashboard.Process.Lines.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(10))
                {
                    Report.Line($"  dashboard: {line}");
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        foreach (var client in clients)
        {
            client.Dispose();
        }
        Report.Line($"the same markers, create → the hub client has them (the store's side of it): {Percentiles.Of(inStore)}");
        return (Percentiles.Of(samples), missing);
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new TimeoutException("the page did not change within a minute");
            }
            await Task.Delay(10);
        }
    }
}
