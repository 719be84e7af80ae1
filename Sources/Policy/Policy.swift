// Policy: see the module's files.
