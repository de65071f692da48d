"""Build, verify and prove AWS Lambda layers."""

__version__ = "0.1.0"
