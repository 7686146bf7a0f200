"""Accessibility checks shared by the browser tests: axe-core (WCAG 2.1 A/AA) and a keyboard pass."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()

# Everything a mouse user could operate; each must be reachable with Tab.
INTERACTIVE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), "
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)

_FOCUS_STATE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
      || (style.boxShadow && style.boxShadow !== 'none');
  return {key: el.dataset.kbdKey, visible: visible, cls: el.className, tag: el.tagName, text: (el.innerText || el.value || el.name || '').slice(0, 60)};
}"""

_MARK_JS = """(selector) => {
  const out = [];
  document.querySelectorAll(selector).forEach((el, i) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const shown = style.visibility !== 'hidden' && style.display !== 'none' && (r.width > 0 || r.height > 0);
    const skip = el.classList.contains('skip-link');
    // A radio group is one Tab stop (arrows move inside it): key radios by their group name.
    const key = (el.type === 'radio' && el.name) ? 'radio:' + el.name : String(i);
    if (shown || skip) { el.dataset.kbdKey = key; out.push({key: key, tag: el.tagName, text: (el.innerText || el.value || el.name || '').slice(0, 60)}); }
  });
  return out;
}"""


def axe_violations(page) -> list[str]:
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
    ]


def keyboard_pass(page, max_steps: int = 400) -> list[str]:
    """Tab through the page; report controls never reached and focus without a visible style."""
    expected = {e["key"]: e for e in page.evaluate(_MARK_JS, INTERACTIVE)}
    # Start sequential focus navigation at the top of the page, whatever has autofocus.
    page.evaluate(
        """() => { const s = document.createElement('span'); s.tabIndex = -1;
        document.body.prepend(s); s.focus(); window.scrollTo(0, 0); }"""
    )
    reached, problems = set(), []
    first = None
    for _step in range(max_steps):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUS_STATE_JS)
        if state is None:
            continue
        key = state["key"]
        if first is None:
            first = state
        # A date input takes several Tab stops (day, month, year): only a return to the first
        # stop means the whole page has been walked.
        if key == first["key"] and len(reached) > 1:
            break
        if key is not None:
            reached.add(key)
        if not state["visible"]:
            problems.append(f"no visible focus on <{state['tag']}> {state['text']!r}")
        if reached >= set(expected):
            break
    for key in set(expected) - reached:
        e = expected[key]
        problems.append(f"not reachable by Tab: <{e['tag']}> {e['text']!r}")
    if first is None or "skip-link" not in (first.get("cls") or ""):
        problems.append(f"the first Tab stop is not the skip link: {first}")
    return problems


def check_page(page) -> list[str]:
    """All accessibility problems of the current page (empty list when it passes)."""
    return axe_violations(page) + keyboard_pass(page)
