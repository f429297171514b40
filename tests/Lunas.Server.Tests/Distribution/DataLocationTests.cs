using Lunas.Server.Storage;

namespace Lunas.Server.Tests.Distribution;

public class DataLocationTests
{
    [Theory]
    [InlineData("/home/u/.dotnet/tools/.store/lunas/0.1.0/lunas/0.1.0/tools/net10.0/any/")]
    [InlineData("/tmp/t/tools/.store/lunas/0.0.1-test/lunas/0.0.1-test/tools/net10.0/any")]
    public void IsInstalled_True_WhenTheBaseDirectoryIsInAToolStore(string baseDirectory)
        => Assert.True(DataLocation.IsInstalled(baseDirectory));

    [Theory]
    [InlineData("/work/lunas/src/Lunas.Server/bin/Release/net10.0/")]
    [InlineData("/app/")]
    [InlineData("/home/u/.dotnet/tools/.store/other-tool/1.0.0/other-tool/1.0.0/tools/net10.0/any/")]
    public void IsInstalled_False_WhenRunFromABuildOutputOrAnotherTool(string baseDirectory)
        => Assert.False(DataLocation.IsInstalled(baseDirectory));

    [Fact]
    public void DefaultSqlitePath_IsUnderDataInTheWorkingDirectory_WhenRunFromTheBuildOutput()
        => Assert.Equal(Database.DefaultSqlitePath, DataLocation.DefaultSqlitePath());
}
