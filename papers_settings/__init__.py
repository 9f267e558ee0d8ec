"""The product's one configuration object: `Settings.from_env()` (see docs/configuration.md)."""

from papers_settings.settings import REPO_ROOT, Settings
from papers_settings.values import SettingsError

__all__ = ["REPO_ROOT", "Settings", "SettingsError"]
