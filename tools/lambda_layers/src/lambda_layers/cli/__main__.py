"""`python -m lambda_layers.cli`: the same as the `lambda-layers` console script."""

from lambda_layers.cli.app import main

main()
