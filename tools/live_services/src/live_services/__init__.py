"""Real Chroma and moto servers on 127.0.0.1 for tests."""

from live_services.chroma import ChromaEndpoint, chroma_server
from live_services.moto import MotoEndpoint, moto_server
from live_services.process import ServiceStartError

__all__ = ["ChromaEndpoint", "MotoEndpoint", "ServiceStartError", "chroma_server", "moto_server"]
