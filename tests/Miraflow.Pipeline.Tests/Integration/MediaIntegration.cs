namespace Miraflow.Pipeline.Tests.Integration;

/// <summary>
/// The media integration tests run one at a time, apart from every other test class: they start
/// encoders and decoders, and the capture test measures real-time intervals that a busy CPU
/// would stretch.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MediaIntegration
{
    public const string Name = "media integration";
}
