"""Clients logged in through the login form, and what the portal answers them."""

from django.test import Client

from accounts.two_factor.policy import otp_mandatory
from tests.accounts.factories import PASSWORD, pass_second_factor

NEW_PASSWORD = "Hongqi-Piaopiao-2026"


def portal_status(client: Client) -> int:
    return client.get("/portal/").status_code


def logged_in_client(user, ip: str = "10.1.1.1") -> Client:
    """Log in through the real form, as a browser does (axes and the session machinery included)."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    if otp_mandatory(user):
        pass_second_factor(client, user)
    return client
