"""Everything ChromaDB for receipts."""
