"""The browser tests' console watch forgives exactly the 404s of replaced download files."""

from devtools.browser import Watch

OLD = "http://127.0.0.1:8601/media/0a1b2c.csv"
NOW = "http://127.0.0.1:8601/media/ffee99.csv"
GONE = "Failed to load resource: the server responded with a status of 404 (Not Found) (at {})"
CHECK = "Client Error: Download Button source error - 404 (at http://127.0.0.1:8601/static/x.js)"


def test_a_replaced_files_404_and_its_check_are_forgiven():
    watch = Watch(console_errors=[GONE.format(OLD), CHECK])
    assert watch.forgive_superseded_downloads(current=NOW) == 1
    assert watch.problems() == []


def test_the_current_files_404_stays_a_problem():
    watch = Watch(console_errors=[GONE.format(NOW), CHECK])
    assert watch.forgive_superseded_downloads(current=NOW) == 0
    assert len(watch.problems()) == 2


def test_only_as_many_checks_as_files_are_forgiven_and_nothing_else():
    other = "TypeError: x is undefined (at http://127.0.0.1:8601/static/y.js)"
    image = GONE.format("http://127.0.0.1:8601/media/0a1b2c.png")
    watch = Watch(console_errors=[GONE.format(OLD), CHECK, CHECK, other, image])
    assert watch.forgive_superseded_downloads(current=NOW) == 1
    assert watch.console_errors == [CHECK, other, image]
