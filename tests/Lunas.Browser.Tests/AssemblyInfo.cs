// One Chromium at a time: this runs on small (2-core) machines, where parallel browsers make timings flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
