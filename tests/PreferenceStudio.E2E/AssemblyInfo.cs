// One browser and one web server at a time: the machine is small and the tests are about behaviour, not load.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
