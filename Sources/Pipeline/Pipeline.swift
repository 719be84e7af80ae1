// Pipeline: see the module's files.
