"""The alliances block of the public home page (news.home's extension hook)."""

from django.http import HttpRequest

from alliances import selectors

HOME_ALLIANCES = 5
HOME_ROUNDS = 3


def home_block(request: HttpRequest) -> dict | None:
    """The public alliances (with member counts) and the latest published venture rounds."""
    alliances = list(selectors.public_alliances()[:HOME_ALLIANCES])
    rounds = list(selectors.public_rounds()[:HOME_ROUNDS])
    if not alliances and not rounds:
        return None
    return {
        "template": "alliances/public/_home_block.html",
        "context": {"alliances": alliances, "rounds": rounds},
    }
