"""Publishing's defaults and limits (no AWS import: the CLI reads them at start-up)."""

from __future__ import annotations

# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 50 MB zipped when
# uploaded directly (the build warns at the same figure); larger layers come from S3.
DIRECT_LIMIT_BYTES = 52_428_800
MULTIPART_CHUNK_BYTES = 16 * 1_048_576
MINIMUM_PART_BYTES = 5 * 1_048_576  # S3's smallest part (all but the last)
BUCKET_ENVIRONMENT = "LAMBDA_LAYERS_BUCKET"
