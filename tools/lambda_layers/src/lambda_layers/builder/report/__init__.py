"""Size reports: a Markdown table, an SVG treemap and a terminal table of bytes per distribution."""

from lambda_layers.builder.report.markdown import size_table
from lambda_layers.builder.report.terminal import summary_table
from lambda_layers.builder.report.treemap import treemap_svg

__all__ = ["size_table", "summary_table", "treemap_svg"]
