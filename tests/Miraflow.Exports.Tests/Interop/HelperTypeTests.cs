using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Interop;

/// <summary><see cref="BOOL"/>, <see cref="HANDLE"/>, <see cref="SOCKET"/> and <see cref="Windows.NT_SUCCESS"/>.</summary>
[Trait("Category", "unit")]
public sealed unsafe class HelperTypeTests
{
    [Fact]
    public void Bool_is_a_4_byte_int_with_C_truth()
    {
        Assert.Equal(4, sizeof(BOOL));
        Assert.Equal(0, BOOL.FALSE.Value);
        Assert.Equal(1, BOOL.TRUE.Value);

        BOOL fromTrue = true;
        BOOL fromFalse = false;
        Assert.Equal(BOOL.TRUE, fromTrue);
        Assert.Equal(BOOL.FALSE, fromFalse);

        // Any non-zero value is true in C, but only 1 equals TRUE.
        BOOL two = 2;
        BOOL minusOne = -1;
        Assert.True(two);
        Assert.True(minusOne);
        Assert.False(BOOL.FALSE);
        Assert.NotEqual(BOOL.TRUE, two);
        Assert.True(two ? true : false);
        Assert.Equal(2, (int)two);
    }

    [Fact]
    public void Bool_truth_operators_drive_conditional_logic()
    {
        BOOL t = 5;
        BOOL f = 0;
        Assert.True(t && t);
        Assert.False(t && f);
        Assert.True(f || t);
    }

    [Fact]
    public void Handle_is_a_pointer_with_null_and_invalid_values()
    {
        Assert.Equal(sizeof(void*), sizeof(HANDLE));
        Assert.True(HANDLE.NULL.Value == null);
        Assert.Equal(nuint.MaxValue, (nuint)HANDLE.INVALID_VALUE);
        Assert.Equal(HANDLE.INVALID_VALUE, (HANDLE)(-1));
        Assert.Equal(HANDLE.INVALID_VALUE, (HANDLE)(-1L));
        Assert.Equal((nint)(-1), (nint)HANDLE.INVALID_VALUE);

        var h = (HANDLE)0x1234;
        Assert.Equal((nuint)0x1234, (nuint)h);
        Assert.True(h == (HANDLE)0x1234u);
        Assert.True(h != HANDLE.NULL);
        Assert.True(HANDLE.NULL < h && h < HANDLE.INVALID_VALUE);   // compared unsigned
        Assert.Equal(0, h.CompareTo((object)(HANDLE)0x1234));
        Assert.Equal(1, h.CompareTo(null));
        Assert.Throws<ArgumentException>(() => h.CompareTo("not a handle"));
        Assert.Equal(((HANDLE)0x1234).GetHashCode(), h.GetHashCode());
        Assert.True(h.Equals((object)(HANDLE)0x1234));
    }

    [Fact]
    public void Handle_formats_as_hex_of_the_pointer_width()
    {
        string expected = IntPtr.Size == 8 ? "000000000000ABCD" : "0000ABCD";
        Assert.Equal(expected, ((HANDLE)0xABCD).ToString());
        Assert.Equal(IntPtr.Size == 8 ? "FFFFFFFFFFFFFFFF" : "FFFFFFFF", HANDLE.INVALID_VALUE.ToString());
    }

    [Fact]
    public void Socket_is_pointer_sized_unsigned_with_invalid_socket_all_bits_set()
    {
        Assert.Equal(sizeof(nuint), sizeof(SOCKET));
        Assert.Equal(nuint.MaxValue, SOCKET.INVALID_SOCKET.Value);
        Assert.Equal(SOCKET.INVALID_SOCKET, (SOCKET)(-1));
        Assert.Equal(SOCKET.INVALID_SOCKET, (SOCKET)(~(nuint)0));

        var s = (SOCKET)0x2Cu;
        nuint raw = s;
        Assert.Equal((nuint)0x2C, raw);
        Assert.Equal((nint)0x2C, (nint)s);
        Assert.True(s < SOCKET.INVALID_SOCKET);
        Assert.True(s == (SOCKET)0x2CL);
        Assert.Equal(IntPtr.Size == 8 ? "000000000000002C" : "0000002C", s.ToString());
    }

    [Fact]
    public void Nt_success_is_true_for_success_and_information_codes_only()
    {
        Assert.True(Windows.NT_SUCCESS(STATUS.STATUS_SUCCESS));
        Assert.True(Windows.NT_SUCCESS(STATUS.STATUS_WAIT_3));
        Assert.True(Windows.NT_SUCCESS(STATUS.STATUS_TIMEOUT));
        Assert.True(Windows.NT_SUCCESS(STATUS.STATUS_PENDING));
        Assert.False(Windows.NT_SUCCESS(STATUS.STATUS_INVALID_PARAMETER));
        Assert.False(Windows.NT_SUCCESS(STATUS.STATUS_CONNECTION_RESET));
        Assert.False(Windows.NT_SUCCESS(STATUS.STATUS_RESOURCE_IN_USE));
    }
}
