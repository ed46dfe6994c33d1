namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// A fresh directory under the system temp folder for one test's files (encoded streams,
/// captures, transport streams), deleted with everything in it on <see cref="Dispose"/>.
/// </summary>
/// <remarks>Set <c>MIRAFLOW_KEEP_TEST_FILES=1</c> to keep it for a look after a failure; its path is in the test output.</remarks>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string purpose)
    {
        Path = Directory.CreateTempSubdirectory($"miraflow-{purpose}-").FullName;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="fileName"/> in this directory.</summary>
    public string File(string fileName) => System.IO.Path.Combine(Path, fileName);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MIRAFLOW_KEEP_TEST_FILES") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A tool that was killed may still hold a file for a moment; the OS cleans /tmp.
        }
    }
}
