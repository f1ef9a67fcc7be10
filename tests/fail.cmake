# A ctest entry that fails with MESSAGE: what stands in for a suite that could not be built.
message(FATAL_ERROR "${MESSAGE}")
