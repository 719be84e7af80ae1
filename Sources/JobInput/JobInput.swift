// JobInput: see the module's files.
