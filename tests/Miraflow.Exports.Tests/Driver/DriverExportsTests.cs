using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Miraflow.Exports.Driver;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Composition;

namespace Miraflow.Exports.Tests.Driver;

/// <summary>
/// <c>QueryMiracastDriverInterface</c> and the Create/Destroy half of the table (driver contract
/// §2.1–2.3, §2.6; docs/driver.md), called only through function pointers as the OS calls them.
/// </summary>
[Collection(DriverTestGroup.Name)]
[Trait("Category", "unit")]
public sealed unsafe class DriverExportsTests : IDisposable
{
    private static readonly int s_tableSize = sizeof(MIRACAST_DRIVER_INTERFACE);

    public DriverExportsTests() => ResetHooks();

    public void Dispose() => ResetHooks();

    [Fact]
    public void Query_fills_the_table_and_its_size()
    {
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();

        Assert.Equal((uint)(IntPtr.Size == 8 ? 48 : 24), table.Size);
        Assert.True(table.CreateMiracastContext is not null);
        Assert.True(table.DestroyMiracastContext is not null);
        Assert.True(table.StartMiracastSession is not null);
        Assert.True(table.StopMiracastSession is not null);
        Assert.True(table.HandleKernelModeMessage is not null);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    [InlineData(uint.MaxValue)]
    public void Query_rejects_another_version_and_writes_nothing(uint version)
    {
        byte* buffer = stackalloc byte[64];
        new Span<byte>(buffer, 64).Fill(0xAB);

        Assert.Equal(STATUS.STATUS_NOT_SUPPORTED, DriverHarness.Query(version, (uint)s_tableSize, buffer));
        Assert.True(new Span<byte>(buffer, 64).IndexOfAnyExcept((byte)0xAB) < 0);
    }

    [Fact]
    public void Query_rejects_a_buffer_one_byte_short_and_accepts_the_exact_size()
    {
        byte* buffer = stackalloc byte[64];
        new Span<byte>(buffer, 64).Fill(0xAB);

        Assert.Equal(STATUS.STATUS_BUFFER_TOO_SMALL, DriverHarness.Query(1, (uint)s_tableSize - 1, buffer));
        Assert.Equal(STATUS.STATUS_BUFFER_TOO_SMALL, DriverHarness.Query(1, 0, buffer));
        Assert.True(new Span<byte>(buffer, 64).IndexOfAnyExcept((byte)0xAB) < 0);

        Assert.Equal(STATUS.STATUS_SUCCESS, DriverHarness.Query(1, (uint)s_tableSize, buffer));
    }

    [Fact]
    public void Query_into_a_larger_buffer_writes_only_the_table()
    {
        byte* buffer = stackalloc byte[64];
        new Span<byte>(buffer, 64).Fill(0xAB);

        Assert.Equal(STATUS.STATUS_SUCCESS, DriverHarness.Query(1, 64, buffer));
        Assert.Equal((uint)s_tableSize, ((MIRACAST_DRIVER_INTERFACE*)buffer)->Size);
        Assert.True(new Span<byte>(buffer + s_tableSize, 64 - s_tableSize).IndexOfAnyExcept((byte)0xAB) < 0);
    }

    [Fact]
    public void Query_with_a_null_buffer_is_an_invalid_parameter()
    {
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, DriverHarness.Query(1, (uint)s_tableSize, null));
    }

    [Fact]
    public void Create_copies_the_callbacks_and_destroy_releases_the_context()
    {
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        int live = DriverExports.LiveContextCount;
        MIRACAST_CALLBACKS callbacks = DriverHarness.Callbacks();
        MIRACAST_CALLBACKS expected = callbacks;
        void* context = null;

        Assert.Equal(STATUS.STATUS_SUCCESS, table.CreateMiracastContext(DriverHarness.Device, &callbacks, &context));
        callbacks = default; // the OS's struct is only borrowed (§2.3)

        Assert.Equal(live + 1, DriverExports.LiveContextCount);
        DriverContext managed = DriverHarness.ContextOf(context);
        Assert.Equal(DriverHarness.Device, managed.Device);
        MIRACAST_CALLBACKS copy = managed.Callbacks;
        Assert.Equal((nint)expected.ReportSessionStatus, (nint)copy.ReportSessionStatus);
        Assert.Equal((nint)expected.MiracastIoControl, (nint)copy.MiracastIoControl);
        Assert.Equal((nint)expected.ReportStatistic, (nint)copy.ReportStatistic);
        Assert.Equal((nint)expected.GetNextChunkData, (nint)copy.GetNextChunkData);
        Assert.Equal((nint)expected.RegisterForDataRateNotifications, (nint)copy.RegisterForDataRateNotifications);
        Assert.NotNull(managed.Services.GetRequiredService<IMediaPipelineFactory>());
        Assert.Equal(new MiraflowOptions().EncodeCapacity, managed.Services.GetRequiredService<IOptions<MiraflowOptions>>().Value.EncodeCapacity);

        table.DestroyMiracastContext(context);
        Assert.Equal(live, DriverExports.LiveContextCount);
    }

    [Fact]
    public void Create_and_destroy_repeat_without_leaking_contexts()
    {
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        int live = DriverExports.LiveContextCount;
        for (int i = 0; i < 20; i++)
        {
            void* context = DriverHarness.Create(table);
            table.DestroyMiracastContext(context);
        }

        Assert.Equal(live, DriverExports.LiveContextCount);
    }

    [Fact]
    public void Destroy_twice_null_and_unknown_contexts_are_ignored()
    {
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        int live = DriverExports.LiveContextCount;
        void* context = DriverHarness.Create(table);
        void* other = DriverHarness.Create(table);

        table.DestroyMiracastContext(context);
        table.DestroyMiracastContext(context);
        table.DestroyMiracastContext(null);
        table.DestroyMiracastContext((void*)0x1234);
        Assert.Equal(live + 1, DriverExports.LiveContextCount); // the other context is untouched

        // A destroyed context is unknown to every other entry point too.
        MIRACAST_WFD_CONNECTION_STATS stats = default;
        MIRACAST_SESSION_INFO info = default;
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.StartMiracastSession(context, (SOCKET)5, &stats, &info));
        uint returned = 0;
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.HandleKernelModeMessage(context, 0, null, 0, null, &returned));
        table.StopMiracastSession(context);

        table.DestroyMiracastContext(other);
        Assert.Equal(live, DriverExports.LiveContextCount);
    }

    [Fact]
    public void Create_rejects_null_arguments_and_null_callbacks()
    {
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        int live = DriverExports.LiveContextCount;
        MIRACAST_CALLBACKS callbacks = DriverHarness.Callbacks();
        void* context = (void*)0xBAD;

        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.CreateMiracastContext(DriverHarness.Device, &callbacks, null));
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.CreateMiracastContext(DriverHarness.Device, null, &context));
        Assert.True(context is null);

        context = (void*)0xBAD;
        callbacks.GetNextChunkData = null;
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.CreateMiracastContext(DriverHarness.Device, &callbacks, &context));
        Assert.True(context is null);
        Assert.Equal(live, DriverExports.LiveContextCount);
    }

    [Fact]
    public void Invalid_options_fail_the_create_with_invalid_parameter()
    {
        DriverHooks.ConfigureServices = static services => services.Configure<MiraflowOptions>(static o => o.EncodeCapacity = 0);
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        int live = DriverExports.LiveContextCount;
        MIRACAST_CALLBACKS callbacks = DriverHarness.Callbacks();
        void* context = (void*)0xBAD;

        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.CreateMiracastContext(DriverHarness.Device, &callbacks, &context));
        Assert.True(context is null);
        Assert.Equal(live, DriverExports.LiveContextCount);
    }

    [Fact]
    public void Exceptions_inside_create_become_ntstatus_codes()
    {
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        int live = DriverExports.LiveContextCount;
        MIRACAST_CALLBACKS callbacks = DriverHarness.Callbacks();
        void* context = (void*)0xBAD;

        DriverHooks.BeforeCreate = static () => throw new InvalidOperationException("boom");
        Assert.Equal(STATUS.STATUS_UNSUCCESSFUL, table.CreateMiracastContext(DriverHarness.Device, &callbacks, &context));
        Assert.True(context is null);

#pragma warning disable CA2201 // what a real out-of-memory maps to is the point
        DriverHooks.BeforeCreate = static () => throw new OutOfMemoryException();
#pragma warning restore CA2201
        Assert.Equal(STATUS.STATUS_NO_MEMORY, table.CreateMiracastContext(DriverHarness.Device, &callbacks, &context));

        // Thrown from inside the container while the options are validated.
        DriverHooks.BeforeCreate = null;
        DriverHooks.ConfigureServices = static services => services.Configure<MiraflowOptions>(static _ => throw new NotSupportedException("configure"));
        Assert.Equal(STATUS.STATUS_UNSUCCESSFUL, table.CreateMiracastContext(DriverHarness.Device, &callbacks, &context));
        Assert.True(context is null);
        Assert.Equal(live, DriverExports.LiveContextCount);

        // The driver still works afterwards.
        DriverHooks.ConfigureServices = null;
        table.DestroyMiracastContext(DriverHarness.Create(table));
        Assert.Equal(live, DriverExports.LiveContextCount);
    }

    [Fact]
    public void Start_stop_and_kernel_messages_validate_their_arguments_and_state()
    {
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        void* context = DriverHarness.Create(table);
        try
        {
            MIRACAST_WFD_CONNECTION_STATS stats = default;
            MIRACAST_SESSION_INFO info;
            *(uint*)&info = 0xFFFF_FFFF;
            // The harness's kernel driver answers QueryFrameStore with nothing: not the reference protocol.
            Assert.Equal(STATUS.STATUS_NOT_SUPPORTED, table.StartMiracastSession(context, (SOCKET)5, &stats, &info));
            Assert.Equal(0u, *(uint*)&info);
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.StartMiracastSession(context, SOCKET.INVALID_SOCKET, &stats, &info));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.StartMiracastSession(context, (SOCKET)5, null, &info));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.StartMiracastSession(context, (SOCKET)5, &stats, null));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.StartMiracastSession(null, (SOCKET)5, &stats, &info));

            table.StopMiracastSession(context);
            table.StopMiracastSession(null);
            table.StopMiracastSession((void*)0x1234);

            byte* input = stackalloc byte[KernelMessage.HeaderSize];
            byte* output = stackalloc byte[4];
            uint returned = 99;
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.HandleKernelModeMessage(context, 4, input, 4, output, &returned));
            Assert.Equal(0u, returned);
            KernelMessage.WriteHeader(new Span<byte>(input, KernelMessage.HeaderSize), KernelMessageType.PowerOff, KernelMessage.HeaderSize);
            Assert.Equal(STATUS.STATUS_INVALID_DEVICE_STATE, table.HandleKernelModeMessage(context, KernelMessage.HeaderSize, input, 4, output, &returned));
            KernelMessage.WriteHeader(new Span<byte>(input, KernelMessage.HeaderSize), KernelMessageType.QueryFrameStore, KernelMessage.HeaderSize);
            Assert.Equal(STATUS.STATUS_NOT_IMPLEMENTED, table.HandleKernelModeMessage(context, KernelMessage.HeaderSize, input, 4, output, &returned));
            KernelMessage.WriteHeader(new Span<byte>(input, KernelMessage.HeaderSize), KernelMessageType.PowerOn, KernelMessage.HeaderSize + 1);
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.HandleKernelModeMessage(context, KernelMessage.HeaderSize, input, 4, output, &returned));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.HandleKernelModeMessage(context, 4, null, 4, output, &returned));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.HandleKernelModeMessage(context, 4, input, 4, null, &returned));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.HandleKernelModeMessage(context, 4, input, 4, output, null));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, table.HandleKernelModeMessage((void*)0x1234, 0, null, 0, null, &returned));
        }
        finally
        {
            table.DestroyMiracastContext(context);
        }
    }

    [Fact]
    public void Destroy_waits_for_asynchronous_disposal_and_leaves_no_thread_of_ours()
    {
        int before = DriverHarness.OurThreads();
        var disposable = new ThreadedDisposal(TimeSpan.FromMilliseconds(300));
        DriverHooks.ConfigureServices = services => services.AddSingleton<IConfigureOptions<MiraflowOptions>>(_ => disposable);
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        void* context = DriverHarness.Create(table);
        Assert.True(disposable.Resolved); // created by the container during validation, so the container disposes it

        long start = Stopwatch.GetTimestamp();
        table.DestroyMiracastContext(context);
        TimeSpan took = Stopwatch.GetElapsedTime(start);

        Assert.True(disposable.Disposed);
        Assert.True(disposable.ThreadsSeenWhileRunning > before, "the counter sees our named threads");
        Assert.InRange(took, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        Assert.Equal(before, DriverHarness.OurThreads());
    }

    [Fact]
    public void Destroy_returns_within_three_seconds_when_disposal_never_ends()
    {
        var never = new TaskCompletionSource();
        DriverHooks.ConfigureServices = services => services.AddSingleton<IConfigureOptions<MiraflowOptions>>(_ => new StuckDisposal(never.Task));
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        int live = DriverExports.LiveContextCount;
        void* context = DriverHarness.Create(table);

        long start = Stopwatch.GetTimestamp();
        table.DestroyMiracastContext(context);
        TimeSpan took = Stopwatch.GetElapsedTime(start);
        never.SetResult(); // the late disposal finishes harmlessly

        Assert.InRange(took, DriverExports.DestroyBudget - TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(3));
        Assert.Equal(live, DriverExports.LiveContextCount);
    }

    [Fact]
    public void Create_and_destroy_leave_no_thread_of_ours()
    {
        int before = DriverHarness.OurThreads();
        MIRACAST_DRIVER_INTERFACE table = DriverHarness.Table();
        void* context = DriverHarness.Create(table);
        table.DestroyMiracastContext(context);
        Assert.Equal(before, DriverHarness.OurThreads());
    }

    private static void ResetHooks()
    {
        DriverHooks.ConfigureServices = null;
        DriverHooks.BeforeCreate = null;
    }
}
