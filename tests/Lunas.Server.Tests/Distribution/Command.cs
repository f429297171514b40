using System.Diagnostics;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Distribution;

/// <summary>A command run to its end (dotnet pack, dotnet tool install, lunas merchants list) with its output.</summary>
public sealed record Command(int ExitCode, string Output)
{
    public static async Task<Command> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = AppProcess.StartInfo(fileName, arguments, workingDirectory);
        // dotnet test sets MSBuild variables for its own build; a nested dotnet pack/publish must find its SDK afresh.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time:\n{await stdout}{await stderr}");
        }
        return new Command(process.ExitCode, await stdout + await stderr);
    }
}
