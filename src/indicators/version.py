"""The installed package's version, readable from every layer without importing the package's API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("indicators")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"
