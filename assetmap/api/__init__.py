"""The web service: ``create_app`` and one router per resource."""

from assetmap.api.app import create_app

__all__ = ["create_app"]
