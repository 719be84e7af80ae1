// GitSource: see the module's files.
