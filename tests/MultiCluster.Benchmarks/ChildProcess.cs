using System.Diagnostics;
using System.Globalization;

namespace MultiCluster.Benchmarks;

/// <summary>A program the benchmark runs beside itself (the simulator, the dashboard), killed when disposed.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private StreamWriter? _log;

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <param name="log">A file that gets each line the program writes, after the time it came (UTC), to read a run's figures afterwards.</param>
    public static ChildProcess Start(string dll, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null, string? log = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}"));
        child._log = log is null ? null : new StreamWriter(log) { AutoFlush = true };
        child._process.OutputDataReceived += (_, e) => child.Add(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Lines.Any(match))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the process exited with {_process.ExitCode}:\n{string.Join('\n', Lines.TakeLast(30))}");
            }
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"no expected output within {timeout.TotalSeconds} s:\n{string.Join('\n', Lines.TakeLast(30))}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Resident memory as the OS sees it (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// Resident memory split by what backs it (/proc/PID/smaps): code (assemblies, native libraries and the JIT's
    /// code, which the runtime maps from a memory file) and data (anonymous memory: the managed heap, stacks, native buffers).
    /// </summary>
    public (long Code, long Data) ResidentByKind()
    {
        long code = 0, data = 0;
        var isCode = false;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                // A mapping's first line: address range, permissions, offset, device, inode, then its path, if any.
                var path = fields.Length > 5 ? fields[5] : "";
                isCode = path.Length > 0 && !path.StartsWith('[');
            }
            else if (fields is ["Rss:", var kb, ..])
            {
                var bytes = long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                if (isCode)
                {
                    code += bytes;
                }
                else
                {
                    data += bytes;
                }
            }
        }
        return (code, data);
    }

    /// <summary>CPU time the process has used so far (user + system, from /proc/PID/stat).</summary>
    public TimeSpan CpuTime() => CpuTimeOf(File.ReadAllText($"/proc/{_process.Id}/stat"));

    /// <summary>User + system CPU time from the text of a /proc/PID/stat.</summary>
    public static TimeSpan CpuTimeOf(string stat)
    {
        // The fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
            _log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_lines)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>The built output of a project of this repository, in the benchmark's configuration.</summary>
    public static string ProjectOutput(string project)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MultiCluster.sln")))
        {
            directory = directory.Parent;
        }
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("MultiCluster.sln not found above the benchmark"),
            "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built; build the solution in {configuration} first");
    }
}
