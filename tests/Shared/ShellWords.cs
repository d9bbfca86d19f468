using System.Diagnostics;
using System.Text;

namespace MultiCluster.Tests;

/// <summary>
/// What a command line the dashboard shows for copying does when pasted into bash, without running the program
/// it names: the real bash runs it with the program replaced by a shell function that only records each call's
/// arguments (linked into each test project that checks a copied command).
/// </summary>
public static class ShellWords
{
    /// <summary>The argument lists <paramref name="program"/> was called with, in order, when bash ran <paramref name="command"/>.</summary>
    /// <exception cref="InvalidOperationException">bash is missing, failed (a syntax error, a command not found), or wrote to stderr.</exception>
    public static async Task<IReadOnlyList<IReadOnlyList<string>>> CallsAsync(string command, string program = "kubectl")
    {
        // A directory with a file in it, so that a glob left unquoted would expand to something.
        var directory = Directory.CreateTempSubdirectory("shell-words-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "a-file"), "");
            var info = new ProcessStartInfo("/bin/bash")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                UseShellExecute = false,
            };
            // Each call prints its argument count, then its arguments, NUL-separated: unambiguous whatever they hold.
            var script = $"{program}() {{ printf '%s\\0' \"$#\" \"$@\"; }}\n{command}\n";
            foreach (var argument in (string[])["--norc", "--noprofile", "-c", script])
            {
                info.ArgumentList.Add(argument);
            }
            info.Environment.Remove("BASH_ENV");
            info.Environment["HOME"] = directory;
            using var bash = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
            var output = bash.StandardOutput.ReadToEndAsync();
            var error = bash.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await bash.WaitForExitAsync(timeout.Token);
            if (bash.ExitCode != 0 || (await error).Length > 0)
            {
                throw new InvalidOperationException($"bash exited {bash.ExitCode} running {command}: {await error}");
            }
            return Parse(await output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The arguments of the one call bash made to <paramref name="program"/>, the program's name first.</summary>
    public static async Task<IReadOnlyList<string>> ArgvAsync(string command, string program = "kubectl")
    {
        var call = Assert.Single(await CallsAsync(command, program));
        return [program, .. call];
    }

    private static List<IReadOnlyList<string>> Parse(string output)
    {
        var fields = output.Split('\0');
        var calls = new List<IReadOnlyList<string>>();
        var i = 0;
        // The output ends with a NUL, so the last field is empty.
        while (i < fields.Length - 1)
        {
            var count = int.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
            calls.Add(fields[(i + 1)..(i + 1 + count)]);
            i += 1 + count;
        }
        return calls;
    }
}
