"""The app with its security headers: ``streamlit run serve.py`` (what ``make run`` does).

``app.py`` is the landing page and stays an ordinary Streamlit script; this file wraps the
whole app (every page) in Streamlit's supported ASGI hook, ``st.App(..., middleware=...)``,
to add the framing and content policy of :mod:`softmax_ui.headers` to every response. Allow an
LMS to embed the app with ``SOFTMAX_FRAME_ANCESTORS="https://lms.example.edu"``.
"""

import streamlit as st
from starlette.middleware import Middleware

from softmax_ui.headers import SecurityHeaders

app = st.App("app.py", middleware=[Middleware(SecurityHeaders)])
