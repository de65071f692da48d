"""Lambda's platform as data (runtimes, architectures, limits, stand-ins) and this host."""
