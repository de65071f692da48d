"""Publishing's defaults and limits (no AWS import: the CLI reads them at start-up)."""

from __future__ import annotations

from lambda_layers.platform.facts import limits

DIRECT_LIMIT_BYTES = limits().direct_upload_bytes  # larger zips are published through S3
MULTIPART_CHUNK_BYTES = 16 * limits().megabyte
MINIMUM_PART_BYTES = 5 * limits().megabyte  # S3's smallest part (all but the last)
BUCKET_ENVIRONMENT = "LAMBDA_LAYERS_BUCKET"
