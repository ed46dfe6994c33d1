// The UDP sender under test. Today the bench project's stand-in; once branch `udp` is merged,
// Miraflow.Pipeline.Transport.UdpMediaSender (and BenchUdp.Open creates it).
global using MediaSender = Miraflow.Benchmarks.StandInUdpSender;
