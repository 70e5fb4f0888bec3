"""The software version, recorded in every audit's outputs."""

__version__ = "0.1.0"
