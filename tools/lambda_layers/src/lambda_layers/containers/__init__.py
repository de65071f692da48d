"""The container side: the Docker engine, one container runner, and Lambda-like runtime images."""
