"""raci: checked, signed-off responsibility matrices for co-managed IT."""

__version__ = "0.1.0"
