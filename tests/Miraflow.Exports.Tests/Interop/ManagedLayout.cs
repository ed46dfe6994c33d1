using System.Runtime.CompilerServices;
using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// What the running .NET runtime makes of the declarations in Miraflow.Exports.Interop: sizes
/// from <c>sizeof</c>, offsets from the addresses of the fields, keyed by the C expression that
/// names the same thing (see <see cref="ContractLayout"/>), plus constants, enum values and
/// bit-field reads and writes a C compiler can evaluate too.
/// </summary>
internal static unsafe class ManagedLayout
{
    /// <summary>Sizes and offsets, keyed like <see cref="ContractLayout.Entries"/>.</summary>
    public static Dictionary<string, long> Layout()
    {
        var layout = new Dictionary<string, long>();
        void Add(string expression, long value) => layout.Add(expression, value);

        Add("sizeof(HANDLE)", sizeof(HANDLE));
        Add("sizeof(SOCKET)", sizeof(SOCKET));
        Add("sizeof(BOOL)", sizeof(BOOL));
        Add("sizeof(NTSTATUS)", sizeof(int));

        Add("sizeof(MIRACAST_STATUS)", sizeof(MIRACAST_STATUS));
        Add("sizeof(MIRACAST_PROTOCOL_EVENT)", sizeof(MIRACAST_PROTOCOL_EVENT));
        Add("sizeof(MIRACAST_STATISTIC_TYPE)", sizeof(MIRACAST_STATISTIC_TYPE));
        Add("sizeof(MIRACAST_CHUNK_TYPE)", sizeof(MIRACAST_CHUNK_TYPE));

        MIRACAST_CHUNK_ID id = default;
        Add("sizeof(MIRACAST_CHUNK_ID)", sizeof(MIRACAST_CHUNK_ID));
        Add("offsetof(MIRACAST_CHUNK_ID, Value)", At(ref id, ref id.Value));

        MIRACAST_CHUNK_INFO info = default;
        Add("sizeof(MIRACAST_CHUNK_INFO)", sizeof(MIRACAST_CHUNK_INFO));
        Add("offsetof(MIRACAST_CHUNK_INFO, ChunkType)", At(ref info, ref info.ChunkType));
        Add("offsetof(MIRACAST_CHUNK_INFO, ChunkId)", At(ref info, ref info.ChunkId));
        Add("offsetof(MIRACAST_CHUNK_INFO, ProcessingTime)", At(ref info, ref info.ProcessingTime));
        Add("offsetof(MIRACAST_CHUNK_INFO, EncodeRate)", At(ref info, ref info.EncodeRate));

        MIRACAST_CHUNK_DATA data = default;
        Add("sizeof(MIRACAST_CHUNK_DATA)", sizeof(MIRACAST_CHUNK_DATA));
        Add("offsetof(MIRACAST_CHUNK_DATA, ChunkInfo)", At(ref data, ref data.ChunkInfo));
        Add("offsetof(MIRACAST_CHUNK_DATA, PrivateDriverDataSize)", At(ref data, ref data.PrivateDriverDataSize));
        Add("offsetof(MIRACAST_CHUNK_DATA, PrivateDriverData)", At(ref data, ref data.PrivateDriverData));

        MIRACAST_STATISTIC_DATA statistic = default;
        Add("sizeof(MIRACAST_STATISTIC_DATA)", sizeof(MIRACAST_STATISTIC_DATA));
        Add("offsetof(MIRACAST_STATISTIC_DATA, StatisticType)", At(ref statistic, ref statistic.StatisticType));
        Add("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete)", At(ref statistic, ref statistic.EncodeComplete));
        Add("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.ChunkType)", At(ref statistic, ref statistic.EncodeComplete.ChunkInfo.ChunkType));
        Add("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.ChunkId)", At(ref statistic, ref statistic.EncodeComplete.ChunkInfo.ChunkId));
        Add("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.ProcessingTime)", At(ref statistic, ref statistic.EncodeComplete.ChunkInfo.ProcessingTime));
        Add("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.EncodeRate)", At(ref statistic, ref statistic.EncodeComplete.ChunkInfo.EncodeRate));
        Add("offsetof(MIRACAST_STATISTIC_DATA, ChunkSent.ChunkId)", At(ref statistic, ref statistic.ChunkSent.ChunkId));
        Add("offsetof(MIRACAST_STATISTIC_DATA, ProtocolEvent.Event)", At(ref statistic, ref statistic.ProtocolEvent.Event));

        MIRACAST_DATARATE_STATS rate = default;
        Add("sizeof(MIRACAST_DATARATE_STATS)", sizeof(MIRACAST_DATARATE_STATS));
        Add("offsetof(MIRACAST_DATARATE_STATS, EncoderBitRate)", At(ref rate, ref rate.EncoderBitRate));
        Add("offsetof(MIRACAST_DATARATE_STATS, CurrentMaxTxDataRate)", At(ref rate, ref rate.CurrentMaxTxDataRate));
        Add("offsetof(MIRACAST_DATARATE_STATS, TransmittedFrameCount)", At(ref rate, ref rate.TransmittedFrameCount));
        Add("offsetof(MIRACAST_DATARATE_STATS, FailedFrameCount)", At(ref rate, ref rate.FailedFrameCount));
        Add("offsetof(MIRACAST_DATARATE_STATS, RetriedFrameCount)", At(ref rate, ref rate.RetriedFrameCount));
        Add("offsetof(MIRACAST_DATARATE_STATS, MultipleRetryFrameCount)", At(ref rate, ref rate.MultipleRetryFrameCount));

        MIRACAST_WFD_CONNECTION_STATS connection = default;
        Add("sizeof(MIRACAST_WFD_CONNECTION_STATS)", sizeof(MIRACAST_WFD_CONNECTION_STATS));
        Add("offsetof(MIRACAST_WFD_CONNECTION_STATS, CurrentBitRate)", At(ref connection, ref connection.CurrentBitRate));
        Add("offsetof(MIRACAST_WFD_CONNECTION_STATS, LocalMaxBitRate)", At(ref connection, ref connection.LocalMaxBitRate));
        Add("offsetof(MIRACAST_WFD_CONNECTION_STATS, RemoteMaxBitRate)", At(ref connection, ref connection.RemoteMaxBitRate));

        MIRACAST_SESSION_INFO session = default;
        Add("sizeof(MIRACAST_SESSION_INFO)", sizeof(MIRACAST_SESSION_INFO));
        Add("offsetof(MIRACAST_SESSION_INFO, Value)", At(ref session, ref session.Value));

        // Function pointers cannot be generic arguments: plain address arithmetic on a local.
        MIRACAST_CALLBACKS callbacks = default;
        Add("sizeof(MIRACAST_CALLBACKS)", sizeof(MIRACAST_CALLBACKS));
        Add("offsetof(MIRACAST_CALLBACKS, ReportSessionStatus)", (byte*)&callbacks.ReportSessionStatus - (byte*)&callbacks);
        Add("offsetof(MIRACAST_CALLBACKS, MiracastIoControl)", (byte*)&callbacks.MiracastIoControl - (byte*)&callbacks);
        Add("offsetof(MIRACAST_CALLBACKS, ReportStatistic)", (byte*)&callbacks.ReportStatistic - (byte*)&callbacks);
        Add("offsetof(MIRACAST_CALLBACKS, GetNextChunkData)", (byte*)&callbacks.GetNextChunkData - (byte*)&callbacks);
        Add("offsetof(MIRACAST_CALLBACKS, RegisterForDataRateNotifications)", (byte*)&callbacks.RegisterForDataRateNotifications - (byte*)&callbacks);

        MIRACAST_DRIVER_INTERFACE table = default;
        Add("sizeof(MIRACAST_DRIVER_INTERFACE)", sizeof(MIRACAST_DRIVER_INTERFACE));
        Add("offsetof(MIRACAST_DRIVER_INTERFACE, Size)", (byte*)&table.Size - (byte*)&table);
        Add("offsetof(MIRACAST_DRIVER_INTERFACE, CreateMiracastContext)", (byte*)&table.CreateMiracastContext - (byte*)&table);
        Add("offsetof(MIRACAST_DRIVER_INTERFACE, DestroyMiracastContext)", (byte*)&table.DestroyMiracastContext - (byte*)&table);
        Add("offsetof(MIRACAST_DRIVER_INTERFACE, StartMiracastSession)", (byte*)&table.StartMiracastSession - (byte*)&table);
        Add("offsetof(MIRACAST_DRIVER_INTERFACE, StopMiracastSession)", (byte*)&table.StopMiracastSession - (byte*)&table);
        Add("offsetof(MIRACAST_DRIVER_INTERFACE, HandleKernelModeMessage)", (byte*)&table.HandleKernelModeMessage - (byte*)&table);

        return layout;
    }

    /// <summary>
    /// Constants, enum values and bit-field reads/writes, keyed by the C expression computing
    /// the same value over tests/native/netdispumdddi.h. The same on every pointer size.
    /// </summary>
    public static Dictionary<string, long> Values()
    {
        var values = new Dictionary<string, long>();
        void Add(string expression, long value) => values.Add(expression, value);

        Add("MIRACAST_DRIVER_INTERFACE_VERSION_1", Windows.MIRACAST_DRIVER_INTERFACE_VERSION_1);
        Add("MAX_ADDITIONAL_EVENTS", Windows.MAX_ADDITIONAL_EVENTS);
        Add("INFINITE", Windows.INFINITE);

        Add("STATUS_SUCCESS", STATUS.STATUS_SUCCESS);
        Add("STATUS_WAIT_0", STATUS.STATUS_WAIT_0);
        Add("STATUS_WAIT_1", STATUS.STATUS_WAIT_1);
        Add("STATUS_WAIT_2", STATUS.STATUS_WAIT_2);
        Add("STATUS_WAIT_3", STATUS.STATUS_WAIT_3);
        Add("STATUS_TIMEOUT", STATUS.STATUS_TIMEOUT);
        Add("STATUS_PENDING", STATUS.STATUS_PENDING);
        Add("STATUS_INVALID_PARAMETER", STATUS.STATUS_INVALID_PARAMETER);
        Add("STATUS_NO_MEMORY", STATUS.STATUS_NO_MEMORY);
        Add("STATUS_BUFFER_TOO_SMALL", STATUS.STATUS_BUFFER_TOO_SMALL);
        Add("STATUS_INSTANCE_NOT_AVAILABLE", STATUS.STATUS_INSTANCE_NOT_AVAILABLE);
        Add("STATUS_NOT_SUPPORTED", STATUS.STATUS_NOT_SUPPORTED);
        Add("STATUS_CONNECTION_RESET", STATUS.STATUS_CONNECTION_RESET);
        Add("STATUS_DEVICE_INSUFFICIENT_RESOURCES", STATUS.STATUS_DEVICE_INSUFFICIENT_RESOURCES);
        Add("STATUS_RESOURCE_IN_USE", STATUS.STATUS_RESOURCE_IN_USE);

        // C converts each enumerator of these enums (unsigned int in gcc, because of 0xffffffff)
        // to long long without sign extension, as (long)(uint) does here.
        AddEnum<MIRACAST_STATUS>(values);
        AddEnum<MIRACAST_PROTOCOL_EVENT>(values);
        AddEnum<MIRACAST_STATISTIC_TYPE>(values);
        AddEnum<MIRACAST_CHUNK_TYPE>(values);

        // Bit-fields: reads from a known Value, and the Value that writes produce.
        var id = new MIRACAST_CHUNK_ID { Value = 0xFEDC_BA98_7654_3210UL };
        Add("((MIRACAST_CHUNK_ID){ .Value = 0xFEDCBA9876543210ULL }).FrameNumber", (long)id.FrameNumber);
        Add("((MIRACAST_CHUNK_ID){ .Value = 0xFEDCBA9876543210ULL }).PartNumber", (long)id.PartNumber);
        var composed = new MIRACAST_CHUNK_ID { FrameNumber = 0x12_3456_789AUL, PartNumber = 0x7B_CDEFUL };
        Add("((MIRACAST_CHUNK_ID){ .FrameNumber = 0x123456789AULL, .PartNumber = 0x7BCDEFULL }).Value", unchecked((long)composed.Value));

        var session = new MIRACAST_SESSION_INFO { Value = 0xFFFF_FFF6u };
        Add("((MIRACAST_SESSION_INFO){ .Value = 0xFFFFFFF6u }).MonitorConnected", session.MonitorConnected);
        Add("((MIRACAST_SESSION_INFO){ .Value = 0xFFFFFFF6u }).ReducedModeListDueToBandwidth", session.ReducedModeListDueToBandwidth);
        Add("((MIRACAST_SESSION_INFO){ .Value = 0xFFFFFFF6u }).Reserved", session.Reserved);
        Add("((MIRACAST_SESSION_INFO){ .MonitorConnected = 1 }).Value", new MIRACAST_SESSION_INFO { MonitorConnected = 1 }.Value);
        Add("((MIRACAST_SESSION_INFO){ .ReducedModeListDueToBandwidth = 1 }).Value", new MIRACAST_SESSION_INFO { ReducedModeListDueToBandwidth = 1 }.Value);
        Add("((MIRACAST_SESSION_INFO){ .Reserved = 1 }).Value", new MIRACAST_SESSION_INFO { Reserved = 1 }.Value);

        return values;
    }

    private static void AddEnum<TEnum>(Dictionary<string, long> values)
        where TEnum : struct, Enum
    {
        foreach (TEnum member in Enum.GetValues<TEnum>())
        {
            values.Add(member.ToString(), Convert.ToInt64(member, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static long At<TOwner, TField>(ref TOwner owner, ref TField field) =>
        Unsafe.ByteOffset(ref Unsafe.As<TOwner, byte>(ref owner), ref Unsafe.As<TField, byte>(ref field));
}
