"""Two awards at once on one round: the round's row lock serialises them, the pool holds.

Each thread has its own connection and commits for real (transaction=True). A barrier
releases both at the same instant, so both transactions are open together.
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from alliances.models import VentureApplication, VentureRound
from alliances.selectors import awarded_total
from alliances.services.awards import application_award
from alliances.services.rounds import round_set_status
from tests.accounts.factories import UserFactory
from tests.actors import SYSTEM
from tests.alliances.factories import make_round, submit
from tests.orgs.factories import OrganizationFactory, build_region_tree

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"
    ),
]


def test_application_award_two_at_once_never_exceed_pool():
    # given: a pool of 10 000 and two requests of 6 000 (each fits alone, both together do not)
    tree = build_region_tree()
    venture_round = make_round(fund_pool=Decimal("10000"), reviewers=[UserFactory(username="expert")])
    first = submit(
        venture_round, OrganizationFactory(region=tree.community_a1), requested_amount=Decimal("6000")
    )
    second = submit(
        venture_round, OrganizationFactory(region=tree.community_b1), requested_amount=Decimal("6000")
    )
    round_set_status(venture_round=venture_round, status="reviewing", actor=SYSTEM)
    barrier = threading.Barrier(2)
    outcomes: dict[int, object] = {}

    def award(application_id):
        try:
            barrier.wait(timeout=30)
            application = VentureApplication.objects.get(pk=application_id)
            application_award(application=application, amount=Decimal("6000"), actor=SYSTEM)
            outcomes[application_id] = "awarded"
        except ValidationError as error:
            outcomes[application_id] = error
        finally:
            connections.close_all()

    # when: both awards run at the same time
    threads = [threading.Thread(target=award, args=(app.pk,)) for app in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an award is stuck"

    # then: one award, one clear refusal, the total within the pool
    refusals = [o for o in outcomes.values() if isinstance(o, ValidationError)]
    assert sorted(o for o in outcomes.values() if o == "awarded") == ["awarded"]
    assert len(refusals) == 1
    assert "Fund pool" in " ".join(refusals[0].messages)
    assert awarded_total(VentureRound.objects.get(pk=venture_round.pk)) == Decimal("6000")
    assert VentureApplication.objects.filter(status="awarded").count() == 1
