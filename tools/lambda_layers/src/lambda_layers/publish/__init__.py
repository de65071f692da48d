"""Publish verified layer zips to AWS Lambda: plan, upload, publish or reuse, record, prune.

The stages, one module each: `settings` (the AWS session) -> `plan` (what the manifest allows)
-> `versions` (what Lambda already holds) -> `upload` (direct or through S3) -> `record`
(`published.json`) -> `pruning` (old versions). `command.run_publish` ties them together.
"""
