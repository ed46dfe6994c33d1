using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Media;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Encoders;

[Trait("Category", "unit")]
public sealed class PassThroughEncoderTests
{
    [Fact]
    public void Waits_for_the_first_idr_then_normalises_units()
    {
        var stage = new PassThroughEncoder();
        byte[] p = NonIdrSlice(50);
        byte[] idr = IdrSlice(80);

        Assert.Null(stage.Process(EncodedFrame.Create(Concat(Aud, p))));
        using EncodedFrame first = stage.Process(EncodedFrame.Create(Concat(Sps, Pps, idr)))!;
        using EncodedFrame next = stage.Process(EncodedFrame.Create(p))!;
        using EncodedFrame bareIdr = stage.Process(EncodedFrame.Create(Concat(Aud, idr)))!;

        Assert.Equal(Hex(Concat(Aud, Sps, Pps, idr)), Hex(first.Data));
        Assert.True(first.IsIdr);
        Assert.Equal(Hex(Concat(Aud, p)), Hex(next.Data));
        Assert.False(next.IsIdr);
        Assert.Equal(Hex(Concat(Aud, Sps, Pps, idr)), Hex(bareIdr.Data));
        Assert.Equal(new PassThroughStatistics { Passed = 3, DiscardedWaitingForIdr = 1, DelimitersAdded = 2, ParameterSetsAdded = 1 }, stage.Statistics);
    }

    [Fact]
    public void A_unit_that_needs_nothing_passes_as_the_same_object()
    {
        var stage = new PassThroughEncoder();
        EncodedFrame idr = EncodedFrame.Create(Concat(Aud, Sps, Pps, IdrSlice(80)));
        idr.FrameNumber = 42;

        using EncodedFrame? output = stage.Process(idr);

        Assert.Same(idr, output);
        Assert.Equal(42UL, output!.FrameNumber);
    }

    [Fact]
    public void After_a_lost_picture_units_are_held_until_the_next_idr()
    {
        var stage = new PassThroughEncoder();
        stage.Process(EncodedFrame.Create(Concat(Aud, Sps, Pps, IdrSlice(80))))!.Dispose();

        stage.OnPictureLost();

        Assert.Null(stage.Process(EncodedFrame.Create(Concat(Aud, NonIdrSlice(50)))));
        using EncodedFrame? idr = stage.Process(EncodedFrame.Create(Concat(Aud, IdrSlice(80))));
        Assert.NotNull(idr);
        Assert.True(idr.IsIdr);
    }

    [Fact]
    public void Bytes_that_are_not_annex_b_are_discarded_and_counted()
    {
        var stage = new PassThroughEncoder();

        Assert.Null(stage.Process(EncodedFrame.Create([1, 2, 3, 4, 5, 6])));
        Assert.Null(stage.Process(EncodedFrame.Create(Concat(Sps, Pps))));
        Assert.Equal(2, stage.Statistics.Malformed);
    }
}
