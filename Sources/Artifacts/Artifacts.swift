// Artifacts: see the module's files.
