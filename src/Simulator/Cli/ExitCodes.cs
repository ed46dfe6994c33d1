namespace Miraflow.Simulator.Cli;

/// <summary>The exit codes of every <c>miraflow</c> command (documented in docs/simulator.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked and every check passed.</summary>
    public const int Success = 0;

    /// <summary>The run completed but a check failed (a capture with errors, losses, a contract violation).</summary>
    public const int CheckFailed = 1;

    /// <summary>The command line was wrong (unknown command or option, a bad value).</summary>
    public const int Usage = 2;

    /// <summary>An input could not be used: a missing or malformed file (capabilities, a TS capture, a picture source); or the <c>--out</c> file cannot be created.</summary>
    public const int BadInput = 3;

    /// <summary>The session could not start or ended with an error (the peer went away, a timeout, a refused format).</summary>
    public const int SessionFailed = 4;

    /// <summary>An unexpected failure inside miraflow (a bug): the message says what; <c>--verbose</c> shows the stack trace.</summary>
    public const int InternalError = 70;
}
