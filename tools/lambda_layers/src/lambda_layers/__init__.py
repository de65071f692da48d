"""Build, verify and prove AWS Lambda layers."""
