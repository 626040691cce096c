"""The app's small UI kit: lesson state, shared controls, figure builders, page frame.

``state``, ``presets``, ``text``, ``tables`` and ``figures`` are pure (no Streamlit);
``session``, ``controls`` and ``page`` are the Streamlit glue, written once for all pages.
"""
