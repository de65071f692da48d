"""The Docker engine, the only code that touches its SDK: client, one container runner, images."""
