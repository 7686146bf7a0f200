"""The accessibility checker itself must be able to fail, or its green results mean nothing."""

from .a11y import check_page, keyboard_pass

GOOD = """<!DOCTYPE html><html lang="pl"><head><title>t</title>
<style>:focus-visible{outline:3px solid #fb0}</style></head><body>
<a class="skip-link" href="#main">Przejdź do treści</a><main id="main"><h1>T</h1>
<a href="/a">Pierwszy</a> <button>Drugi</button></main></body></html>"""


def test_checker_passes_a_good_page(page):
    page.set_content(GOOD)
    assert check_page(page) == []


def test_checker_reports_a_link_taken_out_of_the_tab_order(page):
    page.set_content(GOOD.replace('<a href="/a">', '<a href="/a" tabindex="-1">'))
    assert any("not reachable by Tab" in p and "Pierwszy" in p for p in keyboard_pass(page))


def test_checker_reports_focus_without_a_visible_style(page):
    page.set_content(GOOD.replace("outline:3px solid #fb0", "outline:none"))
    assert any("no visible focus" in p for p in keyboard_pass(page))


def test_checker_reports_an_unlabelled_field(page):
    page.set_content(GOOD.replace("<h1>T</h1>", '<h1>T</h1><input type="text">'))
    assert any(p.startswith("label") for p in check_page(page))
