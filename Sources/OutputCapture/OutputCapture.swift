// OutputCapture: see the module's files.
