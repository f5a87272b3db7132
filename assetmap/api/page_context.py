"""What ``public_base.html`` needs for a page outside the finder (errors, /ogc, /reports).

The finder's pages build theirs with the reader's language (``public_view.common_context``);
these pages are in the default language and take the data's notice and credits from the
store's metadata, or go without when the store cannot be read (an error page must not fail).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request

from assetmap.api.shell import service_shell
from assetmap.api.state import app_state
from assetmap.messages import DEFAULT_LANGUAGE, messages
from assetmap.provenance import DatasetInfo

__all__ = ["shell_context"]  # the shell itself (council, logo, footer) is api/shell.py

log = logging.getLogger(__name__)


def shell_context(request: Request) -> dict[str, Any]:
    """The shell's context in the default language, with the data's notice when readable."""
    state = app_state(request.app)
    context: dict[str, Any] = {
        "shell": service_shell(state.settings), "t": messages(DEFAULT_LANGUAGE),
        "lang_query": "", "other_lang": "en-easy",
        "switch_url": f"{request.url.path}?lang=en-easy", "synthetic": False, "notice": "",
        "attribution_lines": [], "parishes_loaded": None,
    }
    try:
        info = DatasetInfo.from_metadata(state.store.metadata())
    except Exception:  # the store may be why an error page is shown
        log.warning("could not read the data's notice for a page", exc_info=True)
        return context
    context.update(synthetic=info.synthetic, notice=info.notice,
                   attribution_lines=list(info.attribution))
    return context
