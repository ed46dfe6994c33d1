using System.Diagnostics;

namespace Miraflow.Exports.Tests.Native;

/// <summary>
/// The native tests share one NativeAOT publish of the driver and one build of the C host, and run
/// one at a time (a publish and a session each want the whole of a small machine).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHostGroup : ICollectionFixture<NativeDriverFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Native host";
}

/// <summary>
/// Publishes src/Exports with NativeAOT for linux-x64 (through the net9.0 ILCompiler: the net10.0
/// NativeAOT runtime pack is not in our registry, house rule 28) and builds tests/native/miraflow_host.c
/// with gcc, once per test run, in a temporary folder deleted afterwards.
/// </summary>
/// <remarks>
/// The publish gets its own <c>--artifacts-path</c>: with <c>UseArtifactsOutput</c> and a single
/// target framework, a net9.0 build of Rtsp and Pipeline would otherwise land in the repository's
/// <c>artifacts/bin/*/release</c>, the folders of the net10.0 Release build.
/// </remarks>
public sealed class NativeDriverFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-native-").FullName;

    /// <summary>The published driver library.</summary>
    public string DriverPath { get; private set; } = "";

    /// <summary>The C host program.</summary>
    public string HostPath { get; private set; } = "";

    /// <summary>tests/native/fake_driver.c built as a library: a stand-in UMD that tests the host itself.</summary>
    public string FakeDriverPath { get; private set; } = "";

    /// <summary>What the publish printed and how long it took, for test output.</summary>
    public string PublishLog { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string root = RepoPaths.Root;
        string publish = Path.Combine(_directory, "publish");
        long started = Stopwatch.GetTimestamp();
        ToolResult published = await ExternalTool.RunAsync(
            "dotnet",
            ["publish", Path.Combine(root, "src", "Exports"), "-c", "Release", "-r", "linux-x64", "-p:AotTfm=net9.0", "-p:PublishAot=true",
             "-o", publish, "--artifacts-path", Path.Combine(_directory, "artifacts"), "-nologo"],
            PublishTimeout,
            root);
        PublishLog = $"publish took {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s";
        published.EnsureSuccess();
        DriverPath = Path.Combine(publish, "Miraflow.Exports.so");

        string native = Path.Combine(root, "tests", "native");
        HostPath = Path.Combine(_directory, "miraflow_host");
        (await ExternalTool.RunAsync(
            "gcc",
            ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-I", native, "-o", HostPath, Path.Combine(native, "miraflow_host.c"), "-ldl"],
            TimeSpan.FromMinutes(2))).EnsureSuccess();
        FakeDriverPath = Path.Combine(_directory, "fake_driver.so");
        (await ExternalTool.RunAsync(
            "gcc",
            ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-shared", "-fPIC", "-I", native, "-o", FakeDriverPath, Path.Combine(native, "fake_driver.c")],
            TimeSpan.FromMinutes(2))).EnsureSuccess();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
