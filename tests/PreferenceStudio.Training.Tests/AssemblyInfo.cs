// The live-tensor counters are process-wide and libtorch already uses every core: run test classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
