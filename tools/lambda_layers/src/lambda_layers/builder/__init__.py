"""The build: spec -> lock -> install -> prune -> strip -> bytecode -> verify -> zip and reports."""
