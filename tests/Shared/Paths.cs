namespace Lunas.Tests.Shared;

/// <summary>Where the repository, the contract folder beside it and the built apps are, for every test project.</summary>
public static class Paths
{
    /// <summary>The folder holding Lunas.slnx.</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The contract folder beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string SignatureVectors => Path.Combine(Shared, "spec", "signature-vectors.json");

    /// <summary>Debug or Release, whichever these tests were built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ServerDll => Path.Combine(RepoRoot, "src", "Lunas.Server", "bin", Configuration, "net10.0", "lunas.dll");

    public static string SampleShopDll => Path.Combine(RepoRoot, "samples", "Lunas.SampleShop", "bin", Configuration, "net10.0", "Lunas.SampleShop.dll");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Lunas.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Lunas.slnx not found above " + AppContext.BaseDirectory);
    }
}
