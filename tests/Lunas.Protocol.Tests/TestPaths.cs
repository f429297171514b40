namespace Lunas.Protocol.Tests;

/// <summary>Locates the repository and the shared spec folder beside it (<c>&lt;repo&gt;/../shared</c>).</summary>
internal static class TestPaths
{
    /// <summary>The folder holding <c>Lunas.slnx</c>, found by walking up from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>&lt;repo&gt;/../shared/spec/signature-vectors.json</c>.</summary>
    public static string SignatureVectors =>
        Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "spec", "signature-vectors.json"));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lunas.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Lunas.slnx above {AppContext.BaseDirectory}");
    }
}
