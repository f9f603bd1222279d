"""Streamlit glue shared by the pages; the only part of the package that imports streamlit (DESIGN §2).

- session: the process's store and the cached, viewer-safe tables every page reads
- signin: who is signed in, page permissions, one-time messages
- upload: the upload wizard (read, choose, preview, forget)
- badges: lights, weather and trends as badges, the legend, the light matrix, errors
- url: views kept in the URL
- goals: the goal tree with rolled-up lights, the Leitbild, the target drafts
- tables: status tables with pinned names and the Begründung on click
- german: Streamlit's and plotly's own texts in German, the sidebar collapsed on a tablet
"""

from __future__ import annotations

from controlling.ui.badges import legend, light_badge, matrix_html, outlook_badge, show_problem, trend_badge
from controlling.ui.german import german_browser
from controlling.ui.goals import (
    drafts_section,
    goal_system,
    plain,
    show_leitbild,
    show_tree,
    target_history_section,
)
from controlling.ui.session import (
    APP_TITLE,
    available_years,
    home_kreis,
    map_frame,
    opened_store,
    outlines,
    reference,
    report_files,
    show_start_notices,
    status_table,
    store,
    viewer_status,
    viewer_values,
)
from controlling.ui.signin import (
    SignedIn,
    current_role,
    current_user,
    entry_point_ran,
    flash,
    show_flash,
    sign_in_sidebar,
    signed_in,
    start_page,
)
from controlling.ui.tables import chart_as_table, explained_table, with_dark_pinned
from controlling.ui.upload import (
    NEW_INDICATOR,
    choose_sheet,
    commit_upload,
    forget_upload,
    intake_history_table,
    intake_label,
    show_preview,
    show_refusal,
    upload_choices,
    upload_key,
    upload_preview,
)
from controlling.ui.url import report_year, url_choice

__all__ = [
    "APP_TITLE",
    "NEW_INDICATOR",
    "SignedIn",
    "available_years",
    "chart_as_table",
    "choose_sheet",
    "commit_upload",
    "current_role",
    "current_user",
    "drafts_section",
    "entry_point_ran",
    "explained_table",
    "flash",
    "forget_upload",
    "german_browser",
    "goal_system",
    "home_kreis",
    "intake_history_table",
    "intake_label",
    "legend",
    "light_badge",
    "map_frame",
    "matrix_html",
    "opened_store",
    "outlines",
    "outlook_badge",
    "plain",
    "reference",
    "report_files",
    "report_year",
    "show_flash",
    "show_leitbild",
    "show_preview",
    "show_problem",
    "show_refusal",
    "show_start_notices",
    "show_tree",
    "sign_in_sidebar",
    "signed_in",
    "start_page",
    "status_table",
    "store",
    "target_history_section",
    "trend_badge",
    "upload_choices",
    "upload_key",
    "upload_preview",
    "url_choice",
    "viewer_status",
    "viewer_values",
    "with_dark_pinned",
]
