// Compiled into a layer library that has no source file yet.
