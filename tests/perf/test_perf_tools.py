"""benchmarks/perfkit.py and the benchmark scripts' guard rails (no server, no browser)."""

from __future__ import annotations

import os

import load_test
import perfkit
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


def test_percentiles_interpolate():
    assert perfkit.pct([1, 2, 3, 4], 50) == 2.5
    assert perfkit.pct([5], 95) == 5
    assert perfkit.pct(list(range(101)), 95) == 95
    s = perfkit.summary([3.0, 1.0, 2.0])
    assert (s["n"], s["median"], s["min"], s["max"]) == (3, 2.0, 1.0, 3.0)


def test_table_is_markdown():
    text = perfkit.table([["a", 1.25, float("nan")]], ["page", "ms", "x"])
    assert text.splitlines() == ["| page | ms | x |", "|---|---|---|", "| a | 1.2 | – |"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501", "http://localhost:1", "http://[::1]:80"])
def test_loopback_is_allowed(url):
    perfkit.check_loopback(url)


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1:8501", "http://192.168.1.2", "http://example.com"]
)
def test_anything_else_is_refused(url):
    with pytest.raises(SystemExit, match="loopback"):
        perfkit.check_loopback(url)


def test_pages_are_discovered_with_their_url_names():
    pages = perfkit.discover_pages(perfkit.ROOT)
    assert pages[0] == perfkit.Page("app.py", "")
    playground = [p for p in pages if p.name == "Playground"]
    assert playground and playground[0].script.startswith("pages/")
    assert perfkit.select_pages(pages, ["playground"]) == playground


def test_own_cpu_time_is_read_from_proc():
    assert perfkit.cpu_seconds(os.getpid()) > 0


def _widget_delta(kind: str, key: str, **fields) -> ForwardMsg:
    msg = ForwardMsg()
    proto = getattr(msg.delta.new_element, kind)
    proto.id = f"$$ID-0123456789abcdef-{key}"
    for name, value in fields.items():
        if isinstance(value, list):
            getattr(proto, name).extend(value)
        else:
            setattr(proto, name, value)
    return msg


def test_widget_book_learns_ids_values_and_builds_the_browser_message():
    book = perfkit.WidgetBook()
    book.learn(
        _widget_delta(
            "number_input",
            "w:z0",
            value=2.0,
            set_value=True,
            step=0.1,
            data_type=1,  # FLOAT
        )
    )
    book.learn(
        _widget_delta(
            "slider", "w:T_slider", min=0.05, max=5.0, step=0.05, value=[1.0], set_value=True
        )
    )
    text = ForwardMsg()
    text.delta.new_element.markdown.body = "not a widget"
    book.learn(text)
    assert len(book.widgets) == 2
    slider = book.pick()
    assert slider is not None and slider.key == "w:T_slider"
    assert slider.current() == [1.0]
    values = [slider.next_value(i)[0] for i in range(1, 40)]
    assert all(0.05 <= v <= 5.0 for v in values) and len(set(values)) > 5
    assert all(abs(round(v / 0.05) * 0.05 - v) < 1e-9 for v in values)  # on the step grid

    raw = perfkit.rerun_msg(
        page_name="Playground",
        page_hash="abc",
        widgets=[slider.state([2.5]), book.by_key("w:z0").state()],
        cached_hashes=["h1"],
    )
    back = BackMsg()
    back.ParseFromString(raw)
    cs = back.rerun_script
    assert (cs.page_name, cs.page_script_hash, list(cs.cached_message_hashes)) == (
        "Playground",
        "abc",
        ["h1"],
    )
    states = {w.id.rsplit("-", 1)[-1]: w for w in cs.widget_states.widgets}
    assert list(states["w:T_slider"].double_array_value.data) == [2.5]
    assert states["w:z0"].double_value == 2.0


@pytest.mark.parametrize(
    "argv", [["--n", "401"], ["--n", "0"], ["--duration", "400"], ["--url", "http://10.1.1.1"]]
)
def test_load_test_is_bounded_and_loopback_only(argv):
    with pytest.raises(SystemExit) as err:
        load_test.main(argv)
    assert err.value.code != 0


@pytest.mark.parametrize("argv", [["--presses", "0"], ["--presses", "201"]])
def test_browser_profile_is_bounded(argv):
    import profile_browser

    with pytest.raises(SystemExit) as stop:
        profile_browser.main(argv)
    assert stop.value.code == 2
