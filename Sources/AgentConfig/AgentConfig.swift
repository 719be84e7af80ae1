// AgentConfig: see the module's files.
