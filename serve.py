"""The app with its security headers: ``streamlit run serve.py`` (what ``make run`` does).

``app.py`` is the landing page and stays an ordinary Streamlit script; this file wraps the
whole app (every page) in Streamlit's supported ASGI hook, ``st.App(..., middleware=...)``,
to add the framing and content policy of :mod:`softmax_ui.headers` to every response, and the
app's own page script (:mod:`softmax_ui.page_script`: the page's language, decimal commas in
number boxes, the sidebar on a phone, one history entry per page) to every page, and sends
Streamlit's frontend files gzipped (:mod:`softmax_ui.compress`: compressed once, kept in memory;
Streamlit sends them uncompressed: 9.7 MB on a lesson's first visit, 3.3 MB gzipped). An error
no page expected is told in the reader's language (:func:`softmax_ui.page.script_failed`), not
in Streamlit's English box with its links to search engines. Allow an LMS to embed the app with
``SOFTMAX_FRAME_ANCESTORS="https://lms.example.edu"``.
"""

import streamlit as st
from starlette.middleware import Middleware

from softmax_ui import page_script
from softmax_ui.compress import StaticGzip
from softmax_ui.headers import SecurityHeaders
from softmax_ui.page import script_failed

app = st.App(
    "app.py",
    routes=[page_script.route()],
    on_script_error=script_failed,  # in the reader's language, no links to search engines
    middleware=[
        Middleware(SecurityHeaders),
        Middleware(page_script.PageScript),
        Middleware(StaticGzip),
    ],
)
