// The simulator's tests run one at a time. Most of them stream through the driver in real time
// (demos, source and sink processes, the stability run, faults, the interop run) and judge what
// came out against wall-clock limits: PSI at most 100 ms apart, keep-alive timeouts, Stop within
// 3 s. On a 2-core machine a second collection running beside them (an OpenH264 session, ffmpeg
// making test input) starved a demo's sending thread for 141 ms, and the demo rightly failed its
// PAT-gap check. Running alone cost nothing measurable (4 m 48 s against 4 m 46 s in CI).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
