"""Wait for a condition in the page without Playwright's `wait_for_function`.

`wait_for_function` polls by evaluating the predicate inside the page with `eval`, which our
Content-Security-Policy (no 'unsafe-eval') refuses whenever the first check is not already true.
`page.evaluate` runs through the DevTools protocol, outside the page's CSP, so poll with it.
"""

import time


def _evaluate(page, expression: str, arg):
    """The expression's value; None while the page is navigating (its context is being replaced)."""
    try:
        return page.evaluate(expression, arg) if arg is not None else page.evaluate(expression)
    except Exception as error:
        if "context was destroyed" in str(error) or "navigat" in str(error):
            return None
        raise


def wait_until(page, expression: str, arg=None, timeout: float = 10.0, interval: float = 0.1):
    """Poll `expression` until it is truthy; a page reloading meanwhile is waited for, not an error."""
    deadline = time.monotonic() + timeout
    while True:
        value = _evaluate(page, expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for: {expression}")
        time.sleep(interval)
