"""Facilitator widgets for the Voilà workbooks (``workbooks/facilitate.ipynb``, ``goals.ipynb``,
``equity.ipynb``, ``review.ipynb``).

Notebooks stay thin: they call :func:`facilitator_dashboard` or
:func:`goal_workbook` and display the result. Every panel is an ipywidgets
container with ``set_session`` and ``refresh``; participant text is always
escaped (:func:`pbp_facilitate.text.esc`) before it reaches an ``HTML`` widget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy_exports
from ..text import esc, text_html
from .dashboard import FacilitatorDashboard, facilitator_dashboard
from .feed import LiveFeed
from .goaleditor import GoalEditor, goal_workbook
from .live import LivePoller
from .moderation import Flag, check_text
from .presentation import PresentationView
from .prompts import PromptControl
from .session_picker import JoinCard, SessionPicker, default_session
from .themeboard import ThemeBoard, compute_themes
from .voting import VotingPanel

__all__ = [
    "FacilitatorDashboard",
    "facilitator_dashboard",
    "GoalEditor",
    "goal_workbook",
    "LiveFeed",
    "LivePoller",
    "PresentationView",
    "PromptControl",
    "SessionPicker",
    "JoinCard",
    "default_session",
    "ThemeBoard",
    "compute_themes",
    "VotingPanel",
    "EquityPanel",
    "equity_panel",
    "ReviewPanel",
    "review_workbook",
    "Flag",
    "check_text",
    "esc",
    "text_html",
]

if TYPE_CHECKING:
    from .equity import EquityPanel, equity_panel
    from .review import ReviewPanel, review_workbook

# The equity panel needs pandas and the equity package; the facilitator dashboard should not wait
# for them, so they are imported on first use.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "EquityPanel": "equity",
        "equity_panel": "equity",
        "ReviewPanel": "review",
        "review_workbook": "review",
    },
    __all__,
)
