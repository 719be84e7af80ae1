// Launch: see the module's files.
