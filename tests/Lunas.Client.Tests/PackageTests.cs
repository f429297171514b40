using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Lunas.Client.Tests.Infrastructure;
using Lunas.Tests.Shared;

namespace Lunas.Client.Tests;

/// <summary><c>dotnet pack</c> gives a package a merchant can use on its own: no dependency on a Lunas.Protocol package.</summary>
[Collection(Name)]
public partial class PackageTests
{
    public const string Name = "dotnet pack (alone: it builds)";
}

[CollectionDefinition(PackageTests.Name, DisableParallelization = true)]
public class PackageCollection;

public partial class PackageTests
{
    [Fact]
    public async Task Pack_ProducesAPackageWithTheProtocolAssemblyItsDocsAndTheReadme()
    {
        var output = Directory.CreateTempSubdirectory("lunas-pack-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "pack", Path.Combine(Paths.RepoRoot, "src", "Lunas.Client", "Lunas.Client.csproj"),
                    "-c", Paths.Configuration, "-o", output.FullName, "-nologo", "-v:q" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var pack = Process.Start(start)!;
            var log = pack.StandardOutput.ReadToEndAsync();
            var errors = pack.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await pack.WaitForExitAsync(timeout.Token);
            Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{await log}\n{await errors}");

            var package = Assert.Single(output.GetFiles("Lunas.Client.*.nupkg"));
            using var zip = ZipFile.OpenRead(package.FullName);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            foreach (var expected in new[] { "README.md", "lib/net10.0/Lunas.Client.dll", "lib/net10.0/Lunas.Client.xml",
                         "lib/net10.0/Lunas.Protocol.dll", "lib/net10.0/Lunas.Protocol.xml" })
            {
                Assert.Contains(expected, entries);
            }
            await using var nuspec = zip.GetEntry("Lunas.Client.nuspec")!.Open();
            var document = await XDocument.LoadAsync(nuspec, LoadOptions.None, CancellationToken.None);
            var dependencies = document.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")?.Value);
            Assert.Empty(dependencies);
            Assert.Equal("README.md", document.Descendants().Single(e => e.Name.LocalName == "readme").Value);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
